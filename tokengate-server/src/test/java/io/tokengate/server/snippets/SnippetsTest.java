package io.tokengate.server.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SnippetsTest {
    static final String SECRET = "tgk_0123456789abcdefghijABCDEFGHIJ0123456789";
    static final SnippetRequest SEED_POST = SnippetRequest.of(
                    "https://gw.example.com", "admin", SECRET, "POST", "/rest/api/2/issue/ISSUE-1/comment")
            .withBody("{\"body\":\"Comment text\"}", null);

    @Test
    void everyLanguageInItsOrderWithStableIds() {
        SnippetSet set = Snippets.generate(SEED_POST);
        assertThat(set.snippets().keySet()).containsExactly(Language.values());
        assertThat(set.unavailable()).isEmpty();
        assertThat(Arrays.stream(Language.values()).map(Language::id))
                .containsExactly("curl", "javascript", "python", "powershell", "java", "postman");
        assertThat(Language.byId("JavaScript")).contains(Language.JAVASCRIPT);
        assertThat(Language.byId("js")).isEmpty();
        assertThat(set.snippets().values()).allMatch(text -> text.contains(SECRET));
    }

    @Test
    void theSameCallGivesTheSameText() {
        assertThat(Snippets.generate(SEED_POST)).isEqualTo(Snippets.generate(SEED_POST));
    }

    @Test
    void toStringNeverShowsTheSecret() {
        assertThat(Snippets.generate(SEED_POST).toString())
                .doesNotContain(SECRET)
                .contains("texts=redacted");
    }

    @Test
    void curlAsInTheSeedButSendingTheBodyVerbatim() {
        assertThat(Snippets.generate(SEED_POST).get(Language.CURL).orElseThrow())
                .contains("curl -sS -u 'admin:" + SECRET + "' \\\n"
                        + "  -X POST \\\n"
                        + "  -H 'Content-Type: application/json' \\\n"
                        + "  --data-raw '{\"body\":\"Comment text\"}' \\\n"
                        + "  'https://gw.example.com/rest/api/2/issue/ISSUE-1/comment'\n");
    }

    /** {@code -d} and {@code --data-binary} read a file for a body starting with {@code @}. */
    @Test
    void curlNeverReadsAFileNamedByTheBody() {
        String curl = Snippets.generate(SEED_POST.withBody("@/etc/passwd", "text/plain"))
                .get(Language.CURL)
                .orElseThrow();
        assertThat(curl).contains("--data-raw '@/etc/passwd'").doesNotContain("--data-binary", " -d ");
    }

    @Test
    void curlUsesHeadForHeadAndGlobOffForAnIpv6Host() {
        String head = Snippets.generate(SnippetRequest.of("http://[::1]:8080", "a", SECRET, "HEAD", "/rest/x"))
                .get(Language.CURL)
                .orElseThrow();
        assertThat(head)
                .contains("  --globoff \\\n  --head \\\n  'http://[::1]:8080/rest/x'")
                .doesNotContain("-X");
    }

    @Test
    void javascriptBuildsBasicWithBtoaNeverTheSeedsAtob() {
        assertThat(Snippets.generate(SEED_POST).get(Language.JAVASCRIPT).orElseThrow())
                .contains("fetch(\"https://gw.example.com/rest/api/2/issue/ISSUE-1/comment\", {\n"
                        + "  method: \"POST\",\n"
                        + "  headers: {\n"
                        + "    \"Authorization\": \"Basic \" + btoa(\"admin:" + SECRET + "\"),\n"
                        + "    \"Content-Type\": \"application/json\"\n"
                        + "  },\n"
                        + "  body: '{\"body\":\"Comment text\"}'\n"
                        + "})\n");
        assertThat(Snippets.generate(SEED_POST).get(Language.JAVASCRIPT).orElseThrow())
                .doesNotContain("atob");
    }

    /** btoa throws on characters beyond Latin-1 and would encode é as Latin-1, not UTF-8. */
    @Test
    void javascriptEncodesNonAsciiCredentialsAsUtf8BeforeBtoa() {
        String js = Snippets.generate(SnippetRequest.of("https://gw", "zoë", SECRET, "GET", "/rest/x"))
                .get(Language.JAVASCRIPT)
                .orElseThrow();
        assertThat(js).contains("btoa(String.fromCharCode(...new TextEncoder().encode(\"zoë:" + SECRET + "\")))");
        assertThat(js).doesNotContain("method:", "body:", "Content-Type");
    }

    @Test
    void pythonSendsTheBodyAsUtf8Bytes() {
        assertThat(Snippets.generate(SEED_POST).get(Language.PYTHON).orElseThrow())
                .contains("response = requests.post(\n"
                        + "    \"https://gw.example.com/rest/api/2/issue/ISSUE-1/comment\",\n"
                        + "    auth=(\"admin\", \"" + SECRET + "\"),\n"
                        + "    headers={\"Content-Type\": \"application/json\"},\n"
                        + "    data='{\"body\":\"Comment text\"}'.encode(\"utf-8\"),\n"
                        + "    timeout=30,\n"
                        + ")\n");
    }

    @Test
    void pythonPassesNonAsciiCredentialsAsUtf8Bytes() {
        assertThat(Snippets.generate(SnippetRequest.of("https://gw", "zoë", SECRET, "GET", "/rest/x"))
                        .get(Language.PYTHON))
                .get()
                .asString()
                .contains("auth=(\"zoë\".encode(\"utf-8\"), \"" + SECRET + "\".encode(\"utf-8\")),");
    }

    @Test
    void javaPicksTheBuilderMethodForEachHttpMethod() {
        assertThat(java("GET", null)).contains(".GET()").doesNotContain("String body");
        assertThat(java("DELETE", null)).contains(".DELETE()");
        assertThat(java("POST", "{}")).contains(".POST(HttpRequest.BodyPublishers.ofString(body))");
        assertThat(java("POST", null)).contains(".POST(HttpRequest.BodyPublishers.noBody())");
        assertThat(java("PUT", "{}")).contains(".PUT(HttpRequest.BodyPublishers.ofString(body))");
        assertThat(java("PATCH", "{}")).contains(".method(\"PATCH\", HttpRequest.BodyPublishers.ofString(body))");
        assertThat(java("DELETE", "{}")).contains(".method(\"DELETE\", HttpRequest.BodyPublishers.ofString(body))");
        assertThat(java("OPTIONS", null)).contains(".method(\"OPTIONS\", HttpRequest.BodyPublishers.noBody())");
    }

    @Test
    void javaIsAsciiAndSplitsALongBodyIntoJoinedLiterals() {
        String body = "😀".repeat(JavaSnippet.CHUNK); // 2 * CHUNK UTF-16 units
        String java = java("POST", body);
        assertThat(java.chars()).allMatch(c -> c < 0x80);
        assertThat(java).contains("String body = String.join(\"\",\n");
        assertThat(java.split("\\\\uD83D\\\\uDE00", -1)).hasSize(JavaSnippet.CHUNK + 1);
        assertThat(java).doesNotContain("\\uD83D\"").doesNotContain("\"\\uDE00"); // no pair split
    }

    @Test
    void powershellScriptIsAscii() {
        SnippetRequest request =
                SnippetRequest.of("https://gw", "zoë", SECRET, "PUT", "/rest/ü").withBody("{\"a\":\"日本\"}", null);
        assertThat(Snippets.generate(request)
                        .get(Language.POWERSHELL)
                        .orElseThrow()
                        .chars())
                .allMatch(c -> c < 0x80);
    }

    /** What could make a snippet read differently from what it does is an escape in every text. */
    @Test
    void noSnippetHoldsAnInvisibleCharacterRaw() {
        SnippetRequest request = SnippetRequest.of("https://gw", "a\u202Eb\u200B", SECRET, "POST", "/rest/x")
                .withBody("{\"a\":\"\u2028\u202E\u00A0\"}", null);
        Snippets.generate(request).snippets().forEach((language, text) -> assertThat(text.codePoints())
                .as(language.id())
                .noneMatch(cp -> cp != '\n' && Chars.isHidden(cp)));
    }

    private static String java(String method, String body) {
        SnippetRequest request = SnippetRequest.of("https://gw", "a", SECRET, method, "/rest/x");
        return Snippets.generate(body == null ? request : request.withBody(body, null))
                .get(Language.JAVA)
                .orElseThrow();
    }
}
