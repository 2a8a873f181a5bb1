package io.tokengate.core.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalPathTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // raw | decoded (matched) | encoded (forwarded)
                "/rest/api/2/issue/AAA-1 | /rest/api/2/issue/AAA-1 | /rest/api/2/issue/AAA-1",
                "/ | / | /",
                "// | / | /",
                "/rest//api///2/issue | /rest/api/2/issue | /rest/api/2/issue",
                "/rest/api/2/issue/ | /rest/api/2/issue/ | /rest/api/2/issue/",
                "/rest/api/2/issue// | /rest/api/2/issue/ | /rest/api/2/issue/",
                "/rest/%61pi | /rest/api | /rest/api",
                "/rest/api/2/user/j%C3%BCrgen | /rest/api/2/user/jürgen | /rest/api/2/user/j%C3%BCrgen",
                "/a%20b/c+d | /a b/c+d | /a%20b/c+d",
                "/a/...b/... | /a/...b/... | /a/...b/...",
                "/a/%3Fq%23f | /a/?q#f | /a/%3Fq%23f",
                "/a:b@c!$&'()*,= | /a:b@c!$&'()*,= | /a:b@c!$&'()*,=",
                "/%7Euser/%7e | /~user/~ | /~user/~",
                "/azAZ09/-._~+ | /azAZ09/-._~+ | /azAZ09/-._~+",
                "/%61%7A%41%5A%30%39 | /azAZ09 | /azAZ09",
                "/%60%5B%5D%7B%2B | /`[]{+ | /%60%5B%5D%7B+",
            })
    void decodesForMatchingAndReencodesTheSameSegmentsForForwarding(String raw, String decoded, String encoded) {
        CanonicalPath path = CanonicalPath.parse(raw);
        assertThat(path.value()).isEqualTo(decoded);
        assertThat(path.encoded()).isEqualTo(encoded);
        assertThat(CanonicalPath.parse(path.encoded()))
                .as("the forwarded path canonicalizes to itself")
                .isEqualTo(path)
                .extracting(CanonicalPath::encoded)
                .isEqualTo(encoded);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '^',
            value = {
                "/rest/../admin | dot segment '..' in path",
                "/rest/./api | dot segment '.' in path",
                "/rest/api/.. | dot segment '..' in path",
                "/rest/%2e%2e/admin | dot segment '..' in path",
                "/rest/%2E/api | dot segment '.' in path",
                "/rest/.%2e/x | dot segment '..' in path",
                "/rest/api%2F..%2Fadmin | encoded '/' (%2F) in path",
                "/rest/api%2fx | encoded '/' (%2F) in path",
                "/rest/api%5C..%5Cx | encoded '\\' (%5C) in path",
                "/rest/api\\x | backslash in path",
                "/rest/%252e%252e/x | encoded '%' (%25) in path",
                "/rest/a%00b | encoded NUL (%00) in path",
                "/rest/a%0Ab | encoded control character (%0A) in path",
                "/rest/a%7fb | encoded control character (%7F) in path",
                "/rest/api;jsessionid=1/x | ';' in path (path parameters are not accepted)",
                "/rest/..;/admin | ';' in path (path parameters are not accepted)",
                "/rest/a%3Bb | encoded ';' (%3B) in path",
                "/rest/%zz | invalid percent-encoding in path at '%zz'",
                "/rest/%4 | invalid percent-encoding in path at '%4'",
                "/rest/% | invalid percent-encoding in path at '%'",
                "/rest/%C0%AE%C0%AE/x | invalid UTF-8 in path",
                "/rest/%FF | invalid UTF-8 in path",
                "/rest/%ED%A0%80 | invalid UTF-8 in path",
                "/rest/a b | character ' ' is not allowed in a path",
                "/rest/a{b} | character '{' is not allowed in a path",
                "/rest/a\"b | character '\"' is not allowed in a path",
                "/rest/a#b | character '#' is not allowed in a path",
                "/rest/a<b> | character '<' is not allowed in a path",
                "/rest/jürgen | non-ASCII character in path (percent-encode it as UTF-8)",
                "/rest/\u0080 | non-ASCII character in path (percent-encode it as UTF-8)",
                "/rest/a`b | character '`' is not allowed in a path",
                "/rest/a[b] | character '[' is not allowed in a path",
                "/rest/%% | invalid percent-encoding in path at '%%'",
                "rest/api | the request path must start with '/'",
                "* | the request path must start with '/'",
                "http://evil/rest | the request path must start with '/'",
            })
    void refusesAmbiguousPaths(String raw, String reason) {
        assertThatThrownBy(() -> CanonicalPath.parse(raw))
                .isInstanceOf(MalformedRequestException.class)
                .hasMessage(reason);
    }

    @Test
    void pathsAreEqualWhenTheirCanonicalFormsAre() {
        CanonicalPath path = CanonicalPath.parse("/rest//api/%61");
        assertThat(path)
                .isEqualTo(CanonicalPath.parse("/rest/api/a"))
                .hasSameHashCodeAs(CanonicalPath.parse("/rest/api/a"));
        assertThat(path).isNotEqualTo(CanonicalPath.parse("/rest/api/b")).isNotEqualTo("/rest/api/a");
        assertThat(path).hasToString("/rest/api/a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/rest/a\tb", "/rest/a\u0000b", "/rest/a\rb", "/rest/a\u007fb", "/rest/a\nb"})
    void refusesRawControlCharacters(String raw) {
        assertThatThrownBy(() -> CanonicalPath.parse(raw)).hasMessage("control character in path");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/rest/api | /rest/ | true",
                "/rest/api | /rest | true",
                "/rest/ | /rest/ | true",
                "/rest | /rest/ | false",
                "/restore/x | /rest/ | false",
                "/jira/rest/x | /rest/ | false",
                "/api/v2/x | /api/v2/ | true",
            })
    void endpointPrefixesAreWholeSegments(String raw, String prefix, boolean under) {
        assertThat(CanonicalPath.parse(raw).isUnder(prefix)).isEqualTo(under);
    }

    /** An excluded prefix keeps out every spelling that a case-insensitive dispatcher reads as it. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/rest/pat/latest/tokens | /rest/pat/ | true",
                "/rest/PAT/latest/tokens | /rest/pat/ | true",
                "/rest/Pat/1.0/tokens | /rest/pat | true",
                "/rest/%C5%BFcriptrunner/latest/x | /rest/scriptrunner/ | true",
                "/rest/%E2%84%AAanban/x | /rest/kanban/ | true",
                "/rest/patch/x | /rest/pat/ | false",
                "/rest/pa/t/x | /rest/pat/ | false",
                // the excluded module's own path, without the slash: Jira's dispatcher names it too
                "/rest/pat | /rest/pat/ | true",
                "/rest/PAT | /rest/pat/ | true",
                "/rest/pat | /rest/pat | true",
                "/rest/pat/ | /rest/pat/ | true",
                "/rest/patch | /rest/pat/ | false",
                "/rest/pa | /rest/pat/ | false",
                "/rest | /rest/pat/ | false",
            })
    void excludedPrefixesIgnoreCase(String raw, String prefix, boolean under) {
        assertThat(CanonicalPath.parse(raw).isUnderIgnoringCase(prefix)).isEqualTo(under);
    }

    /**
     * Paths already canonical (no escape, no empty or dot segment) are taken as they are, without
     * the full reading; on every path, that must answer exactly as the full reading does. Random
     * paths from the pieces that make each rule fire, a fixed seed so that a failure repeats.
     */
    @Test
    void theShortcutForCanonicalPathsAnswersAsTheFullReading() {
        String[] pieces = {
            "/", "/", "a", "Z", "9", ".", "..", "...", "-", "~", "%2e", "%2F", "%41", "%C3%BC", "%", "%zz", ";", "\\",
            " ", ":", "@", "+", "!", "rest", "api"
        };
        Random random = new Random(20261129);
        int plain = 0;
        for (int n = 0; n < 200_000; n++) {
            StringBuilder raw = new StringBuilder(random.nextInt(8) == 0 ? "" : "/");
            for (int k = random.nextInt(9); k > 0; k--) {
                raw.append(pieces[random.nextInt(pieces.length)]);
            }
            String path = raw.toString();
            Object fast = outcome(() -> CanonicalPath.parse(path));
            assertThat(fast).as(path).isEqualTo(outcome(() -> CanonicalPath.parseFully(path)));
            if (fast.equals(List.of(path, path))) {
                plain++;
            }
        }
        assertThat(plain).as("paths taken as they are").isGreaterThan(10_000);
    }

    /** The decoded and encoded path, or the refusal's message. */
    private static Object outcome(Supplier<CanonicalPath> parse) {
        try {
            CanonicalPath path = parse.get();
            return List.of(path.value(), path.encoded());
        } catch (MalformedRequestException e) {
            return e.getMessage();
        }
    }
}
