package io.tokengate.server.snippets;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * A token and a sample call to write code for, validated here so that every generator can rely on
 * it. Values may contain anything a person could type (quotes, {@code $}, backticks, backslashes,
 * newlines in the body, any Unicode): the generators escape them. Refused are only values that no
 * client could send as given, or that clients would send differently.
 *
 * @param publicUrl the gateway's public base URL ({@code gateway.public.url}), absolute http(s),
 *     ASCII, without user info, query or fragment; a trailing {@code /} is dropped
 * @param user the Basic user name: for a bound token its user, for an unbound one the name the
 *     caller will run as; 1 to {@value #MAX_USER} characters, no {@code :}, no control character
 * @param secret the token secret, 1 to {@value #MAX_SECRET} characters without control characters;
 *     never printed by {@link #toString()} nor put in an exception message
 * @param method one of {@link #METHODS}, any case; stored upper case
 * @param pathAndQuery what follows the public URL, starting with {@code /}, e.g. {@code
 *     /rest/api/2/search?jql=project = AAA}; characters a URL cannot hold (spaces, non-ASCII,
 *     quotes, a {@code %} that starts no escape) are percent-encoded in the snippets, valid
 *     {@code %XX} escapes are kept. No fragment ({@code #}), no {@code .} or {@code ..} segment.
 * @param body the request body, or null for none; not with GET or HEAD, no NUL character, at
 *     most {@value #MAX_BODY_BYTES} bytes in UTF-8 (curl gets it as one command-line argument,
 *     and Linux refuses an argument over 128 KiB); sent as UTF-8
 * @param contentType the body's media type; null or blank means {@code application/json} when
 *     there is a body; must be null without a body; printable ASCII
 */
public record SnippetRequest(
        String publicUrl,
        String user,
        String secret,
        String method,
        String pathAndQuery,
        String body,
        String contentType) {
    public static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    public static final int MAX_USER = 255;
    public static final int MAX_SECRET = 1024;
    public static final int MAX_PATH_AND_QUERY = 8192;
    public static final int MAX_BODY_BYTES = 64 * 1024;
    static final String DEFAULT_CONTENT_TYPE = "application/json";

    public SnippetRequest {
        publicUrl = checkPublicUrl(publicUrl);
        checkUser(user);
        checkSecret(secret);
        method = checkMethod(method);
        checkPathAndQuery(pathAndQuery);
        checkBody(body, method);
        contentType = checkContentType(contentType, body);
    }

    /** A call without a body. */
    public static SnippetRequest of(String publicUrl, String user, String secret, String method, String pathAndQuery) {
        return new SnippetRequest(publicUrl, user, secret, method, pathAndQuery, null, null);
    }

    /** This call with {@code body} of {@code contentType} (null for {@code application/json}). */
    public SnippetRequest withBody(String body, String contentType) {
        return new SnippetRequest(publicUrl, user, secret, method, pathAndQuery, body, contentType);
    }

    /** The full URL the snippets call: the public URL and the path and query, percent-encoded where needed. */
    public String url() {
        return publicUrl + UrlText.encode(pathAndQuery);
    }

    public boolean hasBody() {
        return body != null;
    }

    @Override
    public String toString() {
        return "SnippetRequest[" + method + " " + url() + ", user=" + user + ", secret=redacted"
                + (body == null ? "" : ", body=" + body.length() + " chars of " + contentType) + "]";
    }

    private static String checkPublicUrl(String url) {
        required("publicUrl", url);
        if (!url.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new InvalidSnippetRequestException(
                    "publicUrl",
                    "'" + printable(url) + "' must be printable ASCII without spaces (percent-encode the rest)");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidSnippetRequestException(
                    "publicUrl", "'" + url + "' is not a valid URL: " + e.getReason() + " at index " + e.getIndex());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new InvalidSnippetRequestException(
                    "publicUrl", "'" + url + "' must be an absolute http:// or https:// URL with a host");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new InvalidSnippetRequestException(
                    "publicUrl",
                    "'" + url + "' must not hold user info, a query or a fragment: it is the gateway's base URL");
        }
        if (UrlText.hasDotSegment(uri.getRawPath())) {
            throw new InvalidSnippetRequestException(
                    "publicUrl", "'" + url + "' has a '.' or '..' segment, which clients resolve differently");
        }
        String base = url;
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base;
    }

    private static void checkUser(String user) {
        required("user", user);
        if (user.length() > MAX_USER) {
            throw new InvalidSnippetRequestException("user", "is longer than " + MAX_USER + " characters");
        }
        if (user.indexOf(':') >= 0) {
            throw new InvalidSnippetRequestException(
                    "user", "'" + printable(user) + "' contains ':', which ends the user name in Basic credentials");
        }
        if (user.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidSnippetRequestException(
                    "user", "'" + printable(user) + "' contains a control character; the gateway refuses such names");
        }
        validUnicode("user", user);
    }

    private static void checkSecret(String secret) {
        required("secret", secret);
        if (secret.length() > MAX_SECRET) {
            throw new InvalidSnippetRequestException("secret", "is longer than " + MAX_SECRET + " characters");
        }
        if (secret.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidSnippetRequestException("secret", "contains a control character; no token secret does");
        }
        validUnicode("secret", secret);
    }

    private static String checkMethod(String method) {
        required("method", method);
        String upper = method.toUpperCase(Locale.ROOT);
        if (!METHODS.contains(upper)) {
            throw new InvalidSnippetRequestException(
                    "method", "'" + printable(method) + "' is not one of " + String.join(", ", METHODS));
        }
        return upper;
    }

    private static void checkPathAndQuery(String pathAndQuery) {
        required("pathAndQuery", pathAndQuery);
        if (!pathAndQuery.startsWith("/")) {
            throw new InvalidSnippetRequestException(
                    "pathAndQuery",
                    "'" + printable(pathAndQuery) + "' must start with '/', e.g. /rest/api/2/issue/AAA-1");
        }
        if (pathAndQuery.length() > MAX_PATH_AND_QUERY) {
            throw new InvalidSnippetRequestException(
                    "pathAndQuery", "is longer than " + MAX_PATH_AND_QUERY + " characters");
        }
        if (pathAndQuery.indexOf('#') >= 0) {
            throw new InvalidSnippetRequestException(
                    "pathAndQuery",
                    "'" + printable(pathAndQuery)
                            + "' contains '#': a fragment is never sent; write %23 for a literal '#'");
        }
        validUnicode("pathAndQuery", pathAndQuery);
        int query = pathAndQuery.indexOf('?');
        if (UrlText.hasDotSegment(query < 0 ? pathAndQuery : pathAndQuery.substring(0, query))) {
            throw new InvalidSnippetRequestException(
                    "pathAndQuery",
                    "'" + printable(pathAndQuery)
                            + "' has a '.' or '..' segment, which clients resolve differently and the gateway refuses");
        }
    }

    private static void checkBody(String body, String method) {
        if (body == null) {
            return;
        }
        if (method.equals("GET") || method.equals("HEAD")) {
            throw new InvalidSnippetRequestException(
                    "body", "a " + method + " request has no body (fetch and others refuse one); use POST or PUT");
        }
        if (body.length() > MAX_BODY_BYTES || body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw new InvalidSnippetRequestException(
                    "body", "is longer than " + MAX_BODY_BYTES + " bytes in UTF-8; a snippet shows a sample call");
        }
        if (body.indexOf('\0') >= 0) {
            throw new InvalidSnippetRequestException(
                    "body", "contains a NUL character, which no shell command line can carry");
        }
        validUnicode("body", body);
    }

    private static String checkContentType(String contentType, String body) {
        boolean blank = contentType == null || contentType.isBlank();
        if (body == null) {
            if (!blank) {
                throw new InvalidSnippetRequestException(
                        "contentType", "'" + printable(contentType) + "' is given but there is no body");
            }
            return null;
        }
        if (blank) {
            return DEFAULT_CONTENT_TYPE;
        }
        String value = contentType.strip();
        if (value.length() > 255 || !value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new InvalidSnippetRequestException(
                    "contentType",
                    "'" + printable(value) + "' must be printable ASCII of at most 255 characters, e.g. "
                            + DEFAULT_CONTENT_TYPE);
        }
        return value;
    }

    private static void required(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidSnippetRequestException(field, "is required");
        }
    }

    private static void validUnicode(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidSnippetRequestException(
                        field, "has an unpaired surrogate at index " + i + ": it is not valid Unicode text");
            }
        }
    }

    /** A value as it may appear in a message: controls and other invisible characters as {@code \}{@code uXXXX}. */
    private static String printable(String value) {
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(200).forEach(cp -> {
            if (Chars.isHidden(cp)) {
                out.append(String.format(Locale.ROOT, "\\u%04X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return value.codePointCount(0, value.length()) > 200 ? out + "…" : out.toString();
    }
}
