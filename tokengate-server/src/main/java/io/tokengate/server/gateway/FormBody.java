package io.tokengate.server.gateway;

import io.tokengate.core.request.Quote;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;

/**
 * An {@code application/x-www-form-urlencoded} body, read before an allowed request is forwarded
 * for the parameters the gateway refuses in a query ({@link RequestScreen#screen(java.util.Collection, String)}, {@link #WHERE}): Jira's
 * sign-in parameters above all. Tomcat reads a form body's parameters together with the query's,
 * and Jira's authentication filter takes {@code os_username} and {@code os_password} from either:
 * {@code POST /rest/...} with the body {@code os_username=other&os_password=...} ran in Jira as
 * {@code other}, under the token's restrictions and an audit record that named the token's user.
 *
 * <p>The names are read as Tomcat reads them, leniently: {@code &} between parameters, the name up
 * to the first {@code =}, {@code +} as a space, percent-escapes as bytes, in any charset whose
 * letters are ASCII's (a bad escape stays as written, and cannot spell a name looked for).
 * A declared charset of another kind, such as UTF-16, in which other bytes spell the same names,
 * is refused (415); so is a form body longer than {@code body.inspect.max} (413). Other bodies,
 * multipart uploads included (Jira's attachments), are forwarded unread: Tomcat reads a multipart
 * body's parts as parameters only where the servlet asks it to, and Jira's authentication filter
 * runs before any that does.
 */
final class FormBody {
    /** Charsets in which the bytes of an ASCII name are that name, and no other bytes are. */
    private static final Set<String> ASCII_LETTERED = Set.of("UTF-8", "ISO-8859-1", "US-ASCII", "windows-1252");

    /** Where the parameters the gateway refuses were, for its messages. */
    static final String WHERE = " in a form body";

    private static final String READ = "A form body is read for Jira's sign-in parameters before it is forwarded";

    private FormBody() {}

    /** Whether the request's body, if it has one, is a form Tomcat would read parameters from. */
    static boolean declared(HttpFields headers) {
        for (String contentType : headers.getValuesList(HttpHeader.CONTENT_TYPE)) {
            if (contentType.toLowerCase(Locale.ROOT).contains("x-www-form-urlencoded")) {
                return true;
            }
        }
        return false;
    }

    /** The refusal of a form body that cannot be read as Tomcat would: its charset, its length. */
    static Optional<RequestScreen.Refusal> unreadable(HttpFields headers, long length, int max) {
        for (String charset : BodyRules.declaredCharsets(headers)) {
            if (!asciiLettered(charset)) {
                return Optional.of(new RequestScreen.Refusal(
                        HttpStatus.UNSUPPORTED_MEDIA_TYPE_415,
                        READ + ", in UTF-8, ISO-8859-1, US-ASCII or windows-1252; it declares charset "
                                + Quote.shorten(charset) + ".",
                        "form body in charset " + Quote.shorten(charset) + " cannot be read"));
            }
        }
        return length > max ? Optional.of(tooLarge(max)) : Optional.empty();
    }

    static RequestScreen.Refusal tooLarge(int max) {
        return new RequestScreen.Refusal(
                HttpStatus.PAYLOAD_TOO_LARGE_413,
                READ + ", and may be at most " + max + " bytes.",
                "form body larger than body.inspect.max (" + max + ")");
    }

    static RequestScreen.Refusal tooSlow(Duration timeout) {
        return new RequestScreen.Refusal(
                HttpStatus.REQUEST_TIMEOUT_408,
                READ + ", and must arrive within " + timeout.toMillis() + " ms; it was still arriving.",
                "form body still arriving after body.inspect.timeout.ms (" + timeout.toMillis() + ")");
    }

    /** The parameter names of a form body, decoded as Tomcat decodes them; empty names left out. */
    static Set<String> names(byte[] body) {
        Set<String> names = new LinkedHashSet<>();
        int start = 0;
        while (start < body.length) {
            int end = start;
            while (end < body.length && body[end] != '&') {
                end++;
            }
            int nameEnd = start;
            while (nameEnd < end && body[nameEnd] != '=') {
                nameEnd++;
            }
            if (nameEnd > start) {
                names.add(decoded(body, start, nameEnd));
            }
            start = end + 1;
        }
        return names;
    }

    private static String decoded(byte[] body, int from, int to) {
        byte[] out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = body[i];
            int hi = b == '%' && i + 2 < to ? Character.digit(body[i + 1], 16) : -1;
            int lo = hi >= 0 ? Character.digit(body[i + 2], 16) : -1;
            if (lo >= 0) {
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else {
                out[n++] = b == '+' ? (byte) ' ' : b;
            }
        }
        return new String(out, 0, n, StandardCharsets.ISO_8859_1);
    }

    private static boolean asciiLettered(String charset) {
        try {
            return ASCII_LETTERED.contains(Charset.forName(charset.strip()).name());
        } catch (IllegalArgumentException e) { // unknown or illegal: Tomcat could not read it either
            return false;
        }
    }
}
