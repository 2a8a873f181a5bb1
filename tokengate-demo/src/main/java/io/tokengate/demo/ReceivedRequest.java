package io.tokengate.demo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One request as it reached the demo upstream, recorded before the demo acted on it, whatever it
 * answered (401 and 404 included).
 *
 * @param method the request method, as sent
 * @param rawPath the path as on the wire, still percent-encoded, context path included
 * @param rawQuery the query as on the wire, without {@code ?}; {@code null} when the target had
 *     no {@code ?}
 * @param headers every header field in arrival order; names compare case-insensitively (Jetty may
 *     normalise the case of well-known names)
 * @param body the body bytes received, at most {@link DemoJira.Options#recordedBodyLimit()} of
 *     them
 * @param bodyLength how many body bytes arrived in all; more than {@code body.length} when the
 *     body was longer than the limit
 * @param bodySha256 the lower-case hex SHA-256 of all {@code bodyLength} bytes
 * @param effectiveUser the user the demo took the caller for, {@code null} when it took the
 *     caller for nobody (such requests are answered 401)
 * @param time when the request arrived, by the demo's clock
 */
public record ReceivedRequest(
        String method,
        String rawPath,
        String rawQuery,
        List<Header> headers,
        byte[] body,
        long bodyLength,
        String bodySha256,
        String effectiveUser,
        Instant time) {

    public ReceivedRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        headers = List.copyOf(headers);
        body = body.clone();
        Objects.requireNonNull(bodySha256, "bodySha256");
        Objects.requireNonNull(time, "time");
        if (bodyLength < body.length) {
            throw new IllegalArgumentException("bodyLength " + bodyLength + " < recorded " + body.length);
        }
    }

    /** A header field as received. */
    public record Header(String name, String value) {
        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /** A copy of the recorded body bytes. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The recorded body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Whether more body bytes arrived than were kept. */
    public boolean bodyTruncated() {
        return bodyLength > body.length;
    }

    /** The first value of header {@code name} (case-insensitive), if the request had it. */
    public Optional<String> header(String name) {
        return headers.stream()
                .filter(h -> h.name().equalsIgnoreCase(name))
                .map(Header::value)
                .findFirst();
    }

    /** Every value of header {@code name} (case-insensitive), in arrival order. */
    public List<String> headerValues(String name) {
        return headers.stream()
                .filter(h -> h.name().equalsIgnoreCase(name))
                .map(Header::value)
                .collect(Collectors.toUnmodifiableList());
    }

    /** The request target as on the wire: raw path, then {@code ?} and raw query if there was one. */
    public String rawTarget() {
        return rawQuery == null ? rawPath : rawPath + "?" + rawQuery;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReceivedRequest that
                && method.equals(that.method)
                && rawPath.equals(that.rawPath)
                && Objects.equals(rawQuery, that.rawQuery)
                && headers.equals(that.headers)
                && Arrays.equals(body, that.body)
                && bodyLength == that.bodyLength
                && bodySha256.equals(that.bodySha256)
                && Objects.equals(effectiveUser, that.effectiveUser)
                && time.equals(that.time);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, rawPath, rawQuery, headers, Arrays.hashCode(body), bodyLength, effectiveUser, time);
    }

    /** Method, target, user and body size; header values of Authorization are not printed. */
    @Override
    public String toString() {
        String headerText = headers.stream()
                .map(h -> h.name() + ": " + (h.name().equalsIgnoreCase("Authorization") ? "<redacted>" : h.value()))
                .collect(Collectors.joining(", ", "[", "]"));
        return "ReceivedRequest[" + method + " " + rawTarget() + ", user=" + effectiveUser + ", headers=" + headerText
                + ", body=" + bodyLength + " bytes, time=" + time + "]";
    }
}
