package io.tokengate.core.request;

import java.util.ArrayList;
import java.util.List;

/**
 * The address of a node in a JSON body, written as a field name ({@code editable}), a dotted path
 * ({@code fields.project.key}) or a JSON Pointer ({@code /fields/project/key}, RFC 6901). A segment
 * selects an object's member by name or, when it is a non-negative decimal integer without leading
 * zeros, an array's element by index. A field name containing a dot needs the pointer form.
 */
public final class JsonPath {
    private final String source;
    private final List<String> segments;

    private JsonPath(String source, List<String> segments) {
        this.source = source;
        this.segments = List.copyOf(segments);
    }

    /**
     * Parses a path.
     *
     * @throws IllegalArgumentException naming what is wrong, for an empty path, an empty dotted
     *     segment, or a pointer with an escape other than {@code ~0} and {@code ~1}
     */
    public static JsonPath parse(String source) {
        if (source.isEmpty()) {
            throw new IllegalArgumentException("empty JSON path");
        }
        return source.startsWith("/")
                ? new JsonPath(source, pointerSegments(source))
                : new JsonPath(source, dotted(source));
    }

    private static List<String> dotted(String source) {
        List<String> segments = new ArrayList<>();
        int start = 0;
        while (true) {
            int dot = source.indexOf('.', start);
            String segment = dot < 0 ? source.substring(start) : source.substring(start, dot);
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("empty segment in JSON path '" + source
                        + "' (use a JSON Pointer such as /a.b for field names containing dots)");
            }
            segments.add(segment);
            if (dot < 0) {
                return segments;
            }
            start = dot + 1;
        }
    }

    private static List<String> pointerSegments(String source) {
        List<String> segments = new ArrayList<>();
        for (String raw : source.substring(1).split("/", -1)) {
            StringBuilder segment = new StringBuilder(raw.length());
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c != '~') {
                    segment.append(c);
                } else if (i + 1 < raw.length() && (raw.charAt(i + 1) == '0' || raw.charAt(i + 1) == '1')) {
                    segment.append(raw.charAt(++i) == '0' ? '~' : '/');
                } else {
                    throw new IllegalArgumentException(
                            "invalid escape in JSON Pointer '" + source + "' (only ~0 and ~1 are allowed)");
                }
            }
            segments.add(segment.toString());
        }
        return segments;
    }

    /** The member names or array indexes, from the root down. */
    public List<String> segments() {
        return segments;
    }

    /** The array index a segment denotes, or -1 when it is not a canonical non-negative integer. */
    public static int arrayIndex(String segment) {
        int length = segment.length();
        if (length == 0 || length > 9 || (length > 1 && segment.charAt(0) == '0')) {
            return -1;
        }
        int index = 0;
        for (int i = 0; i < length; i++) {
            char c = segment.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            index = index * 10 + (c - '0');
        }
        return index;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JsonPath that && source.equals(that.source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    /** The path as written. */
    @Override
    public String toString() {
        return source;
    }
}
