package io.tokengate.server.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One case of the hostile-request corpus ({@code hostile-requests.txt} beside this class; its
 * header explains the format): a raw request and what must come of it.
 *
 * @param forwarded for {@link By#UPSTREAM} cases, the raw path the upstream must receive, or null
 */
record HostileCase(
        String name,
        String why,
        int status,
        By by,
        String token,
        String message,
        String forwarded,
        List<String> lines,
        int line) {

    /** Who must answer. */
    enum By {
        /** tokengate's handler: JSON error with X-Request-Id, an audit record, nothing forwarded. */
        GATEWAY,
        /**
         * Jetty's HTTP parser, before any handler and before it read any credentials: JSON error,
         * no audit record, nothing forwarded.
         */
        PARSER,
        /**
         * Jetty's HTTP parser, part-way through the headers but after the Authorization field:
         * JSON error, an audit record of the credentials read, nothing forwarded.
         */
        PARSER_AUDITED,
        /**
         * Jetty, after reading the headers, before the gateway's handler (a target or Host it
         * refuses): JSON error, an audit record of the credentials shown, nothing forwarded.
         */
        JETTY,
        /** A control: the same request without the trick is forwarded, exactly once. */
        UPSTREAM
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z]+)(?::([^}]*))?}");

    HostileCase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(by, "by");
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("case '" + name + "' (line " + line + ") has no request");
        }
    }

    /**
     * The bytes to send, as ISO-8859-1 text: {@code ${AUTH}} and the other variables replaced,
     * escapes decoded, {@code ${CL}} set to the length of what follows the head's empty line.
     */
    String render(Map<String, String> variables) {
        StringBuilder out = new StringBuilder();
        for (String source : lines) {
            boolean raw = source.startsWith(">|");
            String text = source.substring(raw ? 2 : 1);
            if (text.startsWith(" ")) {
                text = text.substring(1);
            }
            out.append(unescape(substitute(text, variables)));
            if (!raw) {
                out.append("\r\n");
            }
        }
        String request = out.toString();
        int head = request.indexOf("\r\n\r\n");
        int bodyLength = head < 0 ? 0 : request.length() - head - 4;
        return request.replace("${CL}", Integer.toString(bodyLength));
    }

    private String substitute(String text, Map<String, String> variables) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group(1).equals("CL")) {
                replacement = m.group();
            } else if (m.group(1).equals("REPEAT")) {
                String[] parts = m.group(2).split(":", 2);
                replacement = parts[1].repeat(Integer.parseInt(parts[0]));
            } else {
                replacement = variables.get(m.group(1));
                if (replacement == null) {
                    throw new IllegalArgumentException("case '" + name + "': unknown variable ${" + m.group(1)
                            + "} (known: " + variables.keySet() + ", REPEAT, CL)");
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** {@code \r \n \t \0 \\ \xHH}; anything else after a backslash is an error in the corpus. */
    private String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = i + 1 < text.length() ? text.charAt(++i) : ' ';
            switch (next) {
                case 'r' -> out.append('\r');
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case '0' -> out.append('\0');
                case '\\' -> out.append('\\');
                case 'x' -> {
                    out.append((char) Integer.parseInt(text.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException(
                        "case '" + name + "': unknown escape '\\" + next + "' in: " + text);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return name;
    }

    /** Reads the corpus; fails on anything malformed, so that a typo cannot drop a case. */
    static List<HostileCase> load(String resource) {
        List<String> source;
        try (InputStream in = HostileCase.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
        List<HostileCase> cases = new ArrayList<>();
        Builder current = null;
        for (int i = 0; i < source.size(); i++) {
            String text = source.get(i);
            if (text.startsWith("## ")) {
                if (current != null) {
                    cases.add(current.build());
                }
                current = new Builder(text.substring(3).strip(), i + 1);
            } else if (text.isBlank() || current == null && text.startsWith("#")) {
                continue;
            } else if (current == null) {
                throw new IllegalArgumentException(resource + " line " + (i + 1) + ": text before the first case");
            } else if (text.startsWith("#")) {
                current.why
                        .append(current.why.length() == 0 ? "" : " ")
                        .append(text.substring(1).strip());
            } else if (text.startsWith(">")) {
                current.lines.add(text);
            } else {
                current.directive(text, i + 1);
            }
        }
        if (current != null) {
            cases.add(current.build());
        }
        Set<String> names = new HashSet<>();
        for (HostileCase c : cases) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException(resource + ": two cases are named '" + c.name() + "'");
            }
        }
        return cases;
    }

    private static final class Builder {
        final String name;
        final int line;
        final StringBuilder why = new StringBuilder();
        final List<String> lines = new ArrayList<>();
        int status;
        By by;
        String token = "open";
        String message;
        String forwarded;

        Builder(String name, int line) {
            this.name = name;
            this.line = line;
        }

        void directive(String text, int at) {
            String[] parts = text.strip().split(" ", 2);
            String value = parts.length > 1 ? parts[1].strip() : "";
            switch (parts[0]) {
                case "expect" -> {
                    String[] expect = value.split(" ");
                    status = Integer.parseInt(expect[0]);
                    by = By.valueOf(expect[1].toUpperCase(Locale.ROOT).replace('-', '_'));
                }
                case "token" -> token = value;
                case "message" -> message = value;
                case "forwarded" -> forwarded = value;
                default -> throw new IllegalArgumentException("line " + at + ": unknown directive '" + parts[0]
                        + "' (expected expect, token, message," + " forwarded, '#', '>' or '>|')");
            }
        }

        HostileCase build() {
            if (by == null) {
                throw new IllegalArgumentException("case '" + name + "' (line " + line + ") has no 'expect' line");
            }
            if (why.length() == 0) {
                throw new IllegalArgumentException("case '" + name + "' (line " + line + ") does not say why");
            }
            return new HostileCase(name, why.toString(), status, by, token, message, forwarded, lines, line);
        }
    }
}
