package io.tokengate.server.snippets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnippetRequestTest {
    static final String GW = "https://gw.example.com";
    static final String SECRET = "tgk_SECRETsecretSECRETsecretSECRETse12345";

    static SnippetRequest get(String pathAndQuery) {
        return SnippetRequest.of(GW, "alice", SECRET, "GET", pathAndQuery);
    }

    @Test
    void normalizesTheBaseUrlTheMethodAndTheContentType() {
        SnippetRequest request = SnippetRequest.of("https://gw.example.com/jira//", "alice", SECRET, "post", "/rest/x")
                .withBody("{}", null);
        assertThat(request.publicUrl()).isEqualTo("https://gw.example.com/jira");
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.contentType()).isEqualTo("application/json");
        assertThat(request.url()).isEqualTo("https://gw.example.com/jira/rest/x");
        assertThat(request.withBody("a=b", " text/plain ").contentType()).isEqualTo("text/plain");
    }

    @Test
    void theUrlEncodesWhatAUrlCannotHoldAndKeepsTheRest() {
        assertThat(get("/rest/api/2/search?jql=project = AAA&x=100%&y=%41%2f").url())
                .isEqualTo(GW + "/rest/api/2/search?jql=project%20=%20AAA&x=100%25&y=%41%2f");
        assertThat(get("/rest/x/it's$(a)!*+,;=:@~?q=\"zoë\"<>\\^`{|}[]").url())
                .isEqualTo(GW + "/rest/x/it's$(a)!*+,;=:@~?q=%22zo%C3%AB%22%3C%3E%5C%5E%60%7B%7C%7D%5B%5D");
        assertThat(get("/rest/x?a=%zz&b=%4&c=%").url()).isEqualTo(GW + "/rest/x?a=%25zz&b=%254&c=%25");
        assertThat(get("/rest/😀\n\t").url()).isEqualTo(GW + "/rest/%F0%9F%98%80%0A%09");
        assertThat(get("/rest/x?q=%٣٣").url()).isEqualTo(GW + "/rest/x?q=%25%D9%A3%D9%A3"); // Arabic digits are no hex
    }

    @Test
    void toStringNeverShowsTheSecret() {
        SnippetRequest request = get("/rest/x").withBody(null, null);
        assertThat(request.toString()).doesNotContain(SECRET).contains("secret=redacted", "alice", "GET " + GW);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "gw.example.com",
                "ftp://gw.example.com",
                "https:///rest",
                "https://user:pw@gw.example.com",
                "https://gw.example.com/?a=b",
                "https://gw.example.com/#top",
                "https://gw.example.com/a b",
                "https://gw.exämple.com",
                "https://gw.example.com/a/../b",
                "https://gw.example.com/%zz"
            })
    void refusesABaseUrlThatIsNotAPlainAbsoluteHttpUrl(String url) {
        assertThatThrownBy(() -> SnippetRequest.of(url, "alice", SECRET, "GET", "/rest/x"))
                .isInstanceOfSatisfying(InvalidSnippetRequestException.class, e -> assertThat(e.field())
                        .isEqualTo("publicUrl"));
    }

    @Test
    void refusesUserNamesBasicCannotCarry() {
        assertInvalid(() -> SnippetRequest.of(GW, "a:b", SECRET, "GET", "/rest/x"), "user", "contains ':'");
        assertInvalid(() -> SnippetRequest.of(GW, "a\nb", SECRET, "GET", "/rest/x"), "user", "a\\u000Ab");
        assertInvalid(() -> SnippetRequest.of(GW, "", SECRET, "GET", "/rest/x"), "user", "is required");
        assertInvalid(() -> SnippetRequest.of(GW, "x".repeat(256), SECRET, "GET", "/rest/x"), "user", "255");
        assertInvalid(() -> SnippetRequest.of(GW, "a\uD800b", SECRET, "GET", "/rest/x"), "user", "unpaired surrogate");
    }

    @Test
    void aBadSecretIsNamedButNeverShown() {
        String secret = "tgk_visible\u0007secret";
        assertThatThrownBy(() -> SnippetRequest.of(GW, "alice", secret, "GET", "/rest/x"))
                .isInstanceOf(InvalidSnippetRequestException.class)
                .hasMessageStartingWith("secret: ")
                .hasMessageNotContaining("visible");
        assertInvalid(() -> SnippetRequest.of(GW, "alice", null, "GET", "/rest/x"), "secret", "is required");
    }

    @Test
    void refusesUnknownMethods() {
        assertInvalid(
                () -> SnippetRequest.of(GW, "alice", SECRET, "TRACE", "/rest/x"),
                "method",
                "'TRACE' is not one of GET");
        assertInvalid(() -> SnippetRequest.of(GW, "alice", SECRET, "GET /x", "/rest/x"), "method", "is not one of");
    }

    @Test
    void refusesPathsClientsWouldChangeOrNotSend() {
        assertInvalid(() -> get("rest/x"), "pathAndQuery", "must start with '/'");
        assertInvalid(() -> get("/rest/x#frag"), "pathAndQuery", "write %23");
        assertInvalid(() -> get("/rest/./x"), "pathAndQuery", "'.' or '..' segment");
        assertInvalid(() -> get("/rest/%2E%2e/x"), "pathAndQuery", "'.' or '..' segment");
        assertInvalid(() -> get("/rest/x/.."), "pathAndQuery", "'.' or '..' segment");
        assertThat(get("/rest/x?path=../..").url()).endsWith("?path=../.."); // the query is no path
        assertThat(get("/rest/.x/..y").url()).endsWith("/rest/.x/..y");
    }

    @Test
    void refusesBodiesNoClientCanSendAsGiven() {
        assertInvalid(() -> get("/rest/x").withBody("{}", null), "body", "a GET request has no body");
        SnippetRequest post = SnippetRequest.of(GW, "alice", SECRET, "POST", "/rest/x");
        assertInvalid(() -> post.withBody("a\0b", null), "body", "NUL");
        assertInvalid(
                () -> post.withBody("é".repeat(SnippetRequest.MAX_BODY_BYTES / 2 + 1), null), "body", "65536 bytes");
        assertThat(post.withBody("é".repeat(SnippetRequest.MAX_BODY_BYTES / 2), null)
                        .hasBody())
                .isTrue();
        assertThat(post.withBody("", null).hasBody()).isTrue();
    }

    @Test
    void refusesContentTypesThatCouldSplitAHeader() {
        SnippetRequest post = SnippetRequest.of(GW, "alice", SECRET, "POST", "/rest/x");
        assertInvalid(() -> post.withBody("{}", "text/plain\r\nX-Evil: 1"), "contentType", "printable ASCII");
        assertInvalid(() -> post.withBody(null, "text/plain"), "contentType", "there is no body");
    }

    private static void assertInvalid(Runnable construction, String field, String messagePart) {
        assertThatThrownBy(construction::run).isInstanceOfSatisfying(InvalidSnippetRequestException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).startsWith(field + ": ").contains(messagePart);
        });
    }
}
