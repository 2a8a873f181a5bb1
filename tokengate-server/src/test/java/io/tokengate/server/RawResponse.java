package io.tokengate.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The first HTTP/1.1 response in what a server wrote on a raw connection: status, headers and
 * body (by Content-Length, chunked, or up to the end). Text is ISO-8859-1, byte for byte.
 */
public record RawResponse(int status, List<String[]> headers, String body) {
    public static RawResponse parse(String raw) {
        int headEnd = raw.indexOf("\r\n\r\n");
        if (!raw.startsWith("HTTP/1.") || headEnd < 0) {
            throw new IllegalArgumentException("not an HTTP/1.x response: '" + abbreviate(raw) + "'");
        }
        String[] lines = raw.substring(0, headEnd).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ", 3)[1]);
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.add(new String[] {
                lines[i].substring(0, colon), lines[i].substring(colon + 1).strip()
            });
        }
        String rest = raw.substring(headEnd + 4);
        RawResponse head = new RawResponse(status, headers, "");
        Optional<String> length = head.header("Content-Length");
        if (length.isPresent()) {
            return new RawResponse(status, headers, rest.substring(0, Integer.parseInt(length.get())));
        }
        if (head.header("Transfer-Encoding")
                .map(v -> v.equalsIgnoreCase("chunked"))
                .orElse(false)) {
            return new RawResponse(status, headers, dechunk(rest));
        }
        return new RawResponse(status, headers, rest);
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, eol).split(";")[0].strip(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }

    /** The first value of header {@code name}, case-insensitively. */
    public Optional<String> header(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return headers.stream()
                .filter(h -> h[0].toLowerCase(Locale.ROOT).equals(lower))
                .map(h -> h[1])
                .findFirst();
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    @Override
    public String toString() {
        return "RawResponse[" + status + ", body=" + abbreviate(body) + "]";
    }
}
