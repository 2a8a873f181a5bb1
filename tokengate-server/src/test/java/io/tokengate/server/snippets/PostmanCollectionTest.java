package io.tokengate.server.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class PostmanCollectionTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = SnippetsTest.SECRET;

    @Test
    void aV21CollectionWithOneBasicAuthRequest() throws IOException {
        JsonNode collection = collection(SnippetsTest.SEED_POST);
        assertThat(collection.at("/info/schema").asText())
                .isEqualTo("https://schema.getpostman.com/json/collection/v2.1.0/collection.json");
        assertThat(collection.get("item")).hasSize(1);
        JsonNode request = collection.at("/item/0/request");
        assertThat(request.at("/auth/type").asText()).isEqualTo("basic");
        assertThat(request.at("/auth/basic/0/key").asText()).isEqualTo("username");
        assertThat(request.at("/auth/basic/0/value").asText()).isEqualTo("admin");
        assertThat(request.at("/auth/basic/1/key").asText()).isEqualTo("password");
        assertThat(request.at("/auth/basic/1/value").asText()).isEqualTo(SECRET);
        assertThat(request.get("method").asText()).isEqualTo("POST");
        assertThat(request.at("/header/0/key").asText()).isEqualTo("Content-Type");
        assertThat(request.at("/header/0/value").asText()).isEqualTo("application/json");
        assertThat(request.at("/body/mode").asText()).isEqualTo("raw");
        assertThat(request.at("/body/raw").asText()).isEqualTo("{\"body\":\"Comment text\"}");
        assertThat(request.at("/body/options/raw/language").asText()).isEqualTo("json");
        assertThat(request.get("url").asText()).isEqualTo("https://gw.example.com/rest/api/2/issue/ISSUE-1/comment");
    }

    @Test
    void withoutABodyThereIsNoBodyAndNoContentType() throws IOException {
        JsonNode request = collection(SnippetRequest.of("https://gw", "a", SECRET, "GET", "/rest/x"))
                .at("/item/0/request");
        assertThat(request.has("body")).isFalse();
        assertThat(request.get("header")).isEmpty();
    }

    @Test
    void theFileIsAsciiAndEveryValueSurvivesJson() throws IOException {
        SnippetRequest call = SnippetRequest.of("https://gw", "zoë \"q\" \\ 😀", SECRET, "POST", "/rest/x")
                .withBody("{\"a\":\"\\\"\u2028\n\"}\r\n", "text/plain; charset=utf-8");
        String text = Snippets.generate(call).get(Language.POSTMAN).orElseThrow();
        assertThat(text.chars()).allMatch(c -> c < 0x80);
        JsonNode request = JSON.readTree(text).at("/item/0/request");
        assertThat(request.at("/auth/basic/0/value").asText()).isEqualTo("zoë \"q\" \\ 😀");
        assertThat(request.at("/body/raw").asText()).isEqualTo("{\"a\":\"\\\"\u2028\n\"}\r\n");
        assertThat(request.at("/body/options/raw/language").asText()).isEqualTo("text");
    }

    /** Postman substitutes {{name}} everywhere, recursively, and knows {{$guid}} always. */
    @Test
    void doubleBracesInsideJsonStringsBecomeAnEscapeOfTheSameValue() throws IOException {
        String body = "{\"a\":\"{{$guid}} {{{x}}}\",\"b\":{\"c\":[\"{{\"]},\"d\":\"\\\"{{\\\\\"}";
        JsonNode request = collection(SnippetRequest.of("https://gw", "a", SECRET, "POST", "/rest/x")
                        .withBody(body, null))
                .at("/item/0/request");
        String raw = request.at("/body/raw").asText();
        assertThat(raw).doesNotContain("{{");
        assertThat(raw)
                .isEqualTo(
                        "{\"a\":\"\\u007B{$guid}} \\u007B\\u007B{x}}}\",\"b\":{\"c\":[\"\\u007B{\"]},\"d\":\"\\\"\\u007B{\\\\\"}");
        assertThat(JSON.readTree(raw)).isEqualTo(JSON.readTree(body));
    }

    @Test
    void refusedWhereDoubleBracesCannotBeEscaped() {
        SnippetRequest post = SnippetRequest.of("https://gw", "a", SECRET, "POST", "/rest/x");
        assertThat(Snippets.generate(post.withBody("Hello {{name}}", "text/plain"))
                        .unavailable())
                .containsOnlyKeys(Language.POSTMAN)
                .extractingByKey(Language.POSTMAN)
                .asString()
                .contains("body", "{{", "variable");
        assertThat(Snippets.generate(post.withBody("{\"a\":1} {{x}}", null)).unavailable())
                .containsOnlyKeys(Language.POSTMAN);
        assertThat(Snippets.generate(SnippetRequest.of("https://gw", "{{user}}", SECRET, "GET", "/rest/x"))
                        .unavailable())
                .containsEntry(
                        Language.POSTMAN,
                        "the user name contains '{{', which Postman would replace with a variable; it has no escape for it");
        SnippetSet set = Snippets.generate(post.withBody("Hello {{name}}", "text/plain"));
        assertThat(set.get(Language.POSTMAN)).isEmpty();
        assertThat(set.get(Language.CURL)).isPresent();
    }

    @Test
    void bracesInTheUrlAreEncodedAndColonSegmentsAreNoPathVariables() throws IOException {
        JsonNode request = collection(
                        SnippetRequest.of("https://gw", "a", SECRET, "GET", "/rest/:id/a:b/{{x}}?q=:v&r={{y}}"))
                .at("/item/0/request");
        assertThat(request.get("url").asText())
                .isEqualTo("https://gw/rest/%3Aid/a:b/%7B%7Bx%7D%7D?q=:v&r=%7B%7By%7D%7D");
    }

    private static JsonNode collection(SnippetRequest request) throws IOException {
        return JSON.readTree(Snippets.generate(request).get(Language.POSTMAN).orElseThrow());
    }
}
