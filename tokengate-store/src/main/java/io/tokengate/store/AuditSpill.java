package io.tokengate.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokengate.core.Sha256;
import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.token.TokenId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where audit records go when the database cannot take them before the writer stops: a graceful
 * stop during a database outage. They are written to a JSON Lines file under {@code
 * HOME/audit-unwritten} (the format of {@code audit export}, readable by the owner only), and
 * {@link #writeAll(JdbcAuditInserts)} writes them to the audit log at the next start, each file once:
 * in the transaction that inserts a file's records, its digest goes into {@code audit_imports},
 * so a crash between that commit and the file's deletion, or a second node sharing the home, finds
 * it there and only deletes the file.
 */
final class AuditSpill implements AuditWriter.Spill {
    private static final Logger LOG = LoggerFactory.getLogger(AuditSpill.class);
    static final String SUFFIX = ".jsonl";
    private static final String PARTIAL = ".partial";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final String nodeId;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    AuditSpill(Path directory, String nodeId, Clock clock) {
        this.directory = directory;
        this.nodeId = nodeId;
        this.clock = clock;
    }

    /** The directory under a home. */
    static Path directory(Path home) {
        return home.resolve("audit-unwritten");
    }

    /**
     * Writes {@code records} to a new file, complete or not at all (written beside it, then moved
     * into place), and returns its path.
     */
    @Override
    public Path keep(List<AuditEvent> records) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
            force(directory.getParent()); // the new directory's own entry, in the home
        }
        OwnerOnly.restrict(directory);
        // The count in the name lets the import tell a whole file from one a crash cut short.
        String name = "unwritten-" + STAMP.format(clock.instant()) + "-" + nodeId + "-"
                + HexFormat.of().formatHex(randomBytes()) + "-" + records.size();
        Path file = directory.resolve(name + SUFFIX);
        Path partial = directory.resolve("." + name + SUFFIX + PARTIAL);
        try {
            try (FileChannel channel =
                            FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(channel)) {
                OwnerOnly.restrict(partial);
                try (AuditExporter exporter = AuditExporter.jsonLines(out)) {
                    for (AuditEvent event : records) {
                        exporter.write(event);
                    }
                }
                channel.force(true); // on disk before the name says it is whole
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            force(directory);
            return file;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** Puts a directory's entries on disk (where the platform can open a directory). */
    private static void force(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not every platform opens directories; the file itself is on disk.
        }
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[4];
        random.nextBytes(bytes);
        return bytes;
    }

    /**
     * Writes every file's records to {@code log}, oldest file first, and deletes the files written.
     * A file that cannot be read or whose records the database refuses stays, and is named in the
     * log at each start.
     *
     * @return how many records were written
     * @throws StoreUnavailableException when the database is unreachable (the files stay)
     */
    int writeAll(JdbcAuditInserts log) {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(directory)) {
            for (Path file : listing) {
                String name = file.getFileName().toString();
                if (name.startsWith("unwritten-") && name.endsWith(SUFFIX)) {
                    files.add(file);
                } else if (name.endsWith(PARTIAL)) {
                    LOG.error(
                            "{} is what remains of audit records a stop was writing when the process died: they"
                                    + " may be incomplete, and are not written; it stays for an administrator to"
                                    + " look at",
                            file);
                }
            }
        } catch (IOException e) {
            LOG.error("cannot list {}: audit records kept there are not written yet ({})", directory, e.toString());
            return 0;
        }
        files.sort(null);
        int written = 0;
        for (Path file : files) {
            written += writeOne(log, file);
        }
        return written;
    }

    private int writeOne(JdbcAuditInserts log, Path file) {
        byte[] bytes;
        List<AuditEvent> records;
        try {
            bytes = Files.readAllBytes(file);
            records = parse(new String(bytes, StandardCharsets.UTF_8));
            int expected = count(file);
            if (records.size() != expected) {
                throw new IOException(
                        "it holds " + records.size() + " records of the " + expected + " its name counts");
            }
        } catch (IOException | RuntimeException e) {
            LOG.error(
                    "cannot read the audit records kept in {}, which stays for an administrator to look at: {}",
                    file,
                    e.getMessage());
            return 0;
        }
        boolean inserted;
        try {
            log.insertOnce(Sha256.hex(bytes), file.getFileName().toString(), records, Instant.now(clock));
            inserted = true;
        } catch (StoreConflictException e) {
            inserted = false; // its digest is in audit_imports: written before
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (StoreException e) {
            LOG.error("the database refuses the audit records kept in {}, which stays: {}", file, e.getMessage());
            return 0;
        }
        try {
            Files.delete(file);
        } catch (IOException e) {
            LOG.warn("cannot delete {}, whose audit records are written; it is skipped at each start", file, e);
        }
        if (!inserted) {
            LOG.info("audit records of {} were written before; file deleted", file.getFileName());
            return 0;
        }
        LOG.warn(
                "wrote {} audit records that a stop during a database outage had kept in {}",
                records.size(),
                file.getFileName());
        return records.size();
    }

    /** How many records a file's name says it holds: the number before its suffix. */
    private static int count(Path file) throws IOException {
        String name = file.getFileName().toString();
        String stem = name.substring(0, name.length() - SUFFIX.length());
        try {
            return Integer.parseInt(stem.substring(stem.lastIndexOf('-') + 1));
        } catch (NumberFormatException e) {
            throw new IOException("its name does not end with the number of records it holds");
        }
    }

    /** The records of a file, one JSON object a line in {@link AuditExporter#COLUMNS} names. */
    static List<AuditEvent> parse(String text) throws IOException {
        List<AuditEvent> records = new ArrayList<>();
        BufferedReader lines = new BufferedReader(new StringReader(text));
        int number = 0;
        for (String line; (line = lines.readLine()) != null; ) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            try {
                records.add(record(JSON.readTree(line)));
            } catch (IOException | RuntimeException e) {
                throw new IOException(
                        "line " + number + " is not an audit record: "
                                + e.getClass().getSimpleName(),
                        e);
            }
        }
        return records;
    }

    private static AuditEvent record(JsonNode n) {
        String tokenId = text(n, "tokenId");
        String decision = text(n, "decision");
        return new AuditEvent(
                Instant.parse(required(n, "time")),
                text(n, "requestId"),
                text(n, "node"),
                AuditKind.valueOf(required(n, "kind")),
                tokenId == null ? null : new TokenId(tokenId),
                text(n, "tokenName"),
                text(n, "basicUser"),
                text(n, "effectiveUser"),
                text(n, "actor"),
                text(n, "clientIp"),
                text(n, "method"),
                text(n, "path"),
                text(n, "query"),
                decision == null ? null : AuditDecision.valueOf(decision),
                text(n, "reason"),
                text(n, "matchedRule"),
                n.hasNonNull("status") ? n.get("status").intValue() : null,
                n.hasNonNull("upstreamMillis") ? n.get("upstreamMillis").longValue() : null,
                n.path("bytesIn").longValue(),
                n.path("bytesOut").longValue());
    }

    private static String required(JsonNode n, String field) {
        String value = text(n, field);
        if (value == null) {
            throw new IllegalArgumentException("no " + field);
        }
        return value;
    }

    private static String text(JsonNode n, String field) {
        JsonNode value = n.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
