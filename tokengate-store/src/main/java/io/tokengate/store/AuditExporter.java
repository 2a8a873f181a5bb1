package io.tokengate.store;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tokengate.core.audit.AuditEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes audit records as CSV (RFC 4180) or JSON Lines, one record at a time. CSV cells that a
 * spreadsheet would evaluate as a formula (starting with {@code = + - @}, tab or carriage return)
 * get a leading apostrophe, so an attacker-chosen path cannot run in an admin's spreadsheet.
 */
abstract class AuditExporter implements AutoCloseable {
    static final List<String> COLUMNS = List.of(
            "time",
            "requestId",
            "node",
            "kind",
            "tokenId",
            "tokenName",
            "basicUser",
            "effectiveUser",
            "actor",
            "clientIp",
            "method",
            "path",
            "query",
            "decision",
            "reason",
            "matchedRule",
            "status",
            "upstreamMillis",
            "bytesIn",
            "bytesOut");

    abstract void write(AuditEvent event) throws IOException;

    @Override
    public abstract void close() throws IOException;

    static AuditExporter csv(OutputStream out) throws IOException {
        return new Csv(out);
    }

    static AuditExporter jsonLines(OutputStream out) throws IOException {
        return new JsonLines(out);
    }

    /** The record's fields in {@link #COLUMNS} order; null for absent values. */
    static Object[] values(AuditEvent e) {
        return new Object[] {
            e.time().toString(),
            e.requestId(),
            e.node(),
            e.kind().name(),
            e.tokenId() == null ? null : e.tokenId().value(),
            e.tokenName(),
            e.basicUser(),
            e.effectiveUser(),
            e.actor(),
            e.clientIp(),
            e.method(),
            e.path(),
            e.query(),
            e.decision() == null ? null : e.decision().name(),
            e.reason(),
            e.matchedRule(),
            e.status(),
            e.upstreamMillis(),
            e.bytesIn(),
            e.bytesOut()
        };
    }

    private static final class Csv extends AuditExporter {
        private final Writer writer;

        Csv(OutputStream out) throws IOException {
            this.writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
            writer.write(String.join(",", COLUMNS));
            writer.write("\r\n");
        }

        @Override
        void write(AuditEvent event) throws IOException {
            Object[] values = values(event);
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    writer.write(',');
                }
                if (values[i] instanceof String text) {
                    writer.write(cell(text));
                } else if (values[i] != null) {
                    writer.write(values[i].toString());
                }
            }
            writer.write("\r\n");
        }

        @Override
        public void close() throws IOException {
            writer.flush();
        }
    }

    /** One CSV cell: defused against formula injection, then quoted if RFC 4180 requires it. */
    static String cell(String text) {
        String safe = text;
        if (!safe.isEmpty() && "=+-@\t\r".indexOf(safe.charAt(0)) >= 0) {
            safe = "'" + safe;
        }
        if (safe.indexOf(',') >= 0 || safe.indexOf('"') >= 0 || safe.indexOf('\n') >= 0 || safe.indexOf('\r') >= 0) {
            return '"' + safe.replace("\"", "\"\"") + '"';
        }
        return safe;
    }

    private static final class JsonLines extends AuditExporter {
        private final OutputStream out;
        private final JsonGenerator json;

        JsonLines(OutputStream out) throws IOException {
            this.out = out;
            this.json = new JsonFactory()
                    .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                    .createGenerator(out, JsonEncoding.UTF8);
            this.json.setRootValueSeparator(null);
        }

        @Override
        void write(AuditEvent event) throws IOException {
            Object[] values = values(event);
            json.writeStartObject();
            for (int i = 0; i < values.length; i++) {
                Object value = values[i];
                if (value == null) {
                    continue;
                }
                String name = COLUMNS.get(i);
                if (value instanceof String text) {
                    json.writeStringField(name, text);
                } else {
                    json.writeNumberField(name, ((Number) value).longValue());
                }
            }
            json.writeEndObject();
            json.writeRaw('\n');
        }

        @Override
        public void close() throws IOException {
            json.flush();
            out.flush();
        }
    }
}
