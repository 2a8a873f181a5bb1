package io.tokengate.demo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Percent-decoding of raw paths and queries, for routing and reading parameters. */
final class Percent {
    private Percent() {}

    /** The decoded segments of a raw path below its leading {@code /}; {@code "/"} has one empty segment. */
    static List<String> segments(String rawPath) {
        String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/", -1)) {
            segments.add(decode(segment, false));
        }
        return segments;
    }

    /**
     * The parameters of a raw query, read as Jira reads them: {@code &} separates, {@code +} is a
     * space, UTF-8. Values keep their order; a name without {@code =} has the value {@code ""}.
     */
    static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals), true);
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1), true);
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        parameters.replaceAll((name, values) -> Collections.unmodifiableList(values));
        return parameters;
    }

    /**
     * Decodes {@code %XX} escapes (and {@code +} if asked) as UTF-8, leniently as servlet
     * containers do: a {@code %} not followed by two hex digits stays as it is, and bytes that are
     * not UTF-8 become U+FFFD. The demo never refuses a target it can route.
     */
    static String decode(String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0 && !(plusIsSpace && raw.indexOf('+') >= 0)) {
            return raw;
        }
        StringBuilder decoded = new StringBuilder(raw.length());
        ByteArrayOutputStream escaped = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length() && isHex(raw.charAt(i + 1)) && isHex(raw.charAt(i + 2))) {
                escaped.write(Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
                i += 2;
                continue;
            }
            flush(escaped, decoded);
            decoded.append(c == '+' && plusIsSpace ? ' ' : c);
        }
        flush(escaped, decoded);
        return decoded.toString();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    private static void flush(ByteArrayOutputStream escaped, StringBuilder decoded) {
        if (escaped.size() > 0) {
            decoded.append(new String(escaped.toByteArray(), StandardCharsets.UTF_8));
            escaped.reset();
        }
    }
}
