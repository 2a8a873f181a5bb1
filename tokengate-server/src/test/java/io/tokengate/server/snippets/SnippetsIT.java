package io.tokengate.server.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokengate.core.request.QueryString;
import io.tokengate.core.token.CreatedToken;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.server.GatewayFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every generated snippet, executed by the tool a person would use (bash + curl, node, Debian's
 * python3 with requests, {@code java Snippet.java}, newman, and pwsh where installed), against a
 * running gateway in front of the demo Jira. A missing tool fails the test and names {@code
 * .ci/setup}; only pwsh may be absent (see {@link SnippetRunner}).
 */
class SnippetsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A user name no shell, string literal or JSON document may misread. */
    /**
     * Hostile within printable ASCII: the gateway refuses names a header cannot carry exactly
     * (non-ASCII, surrounding spaces), and LiteralsIT covers non-ASCII in every language's quoting.
     */
    static final String HOSTILE_USER = "o'brien \"$(touch pwned-u1)\" `touch pwned-u2` \\ ; | & %s !! {x} $HOME";

    /**
     * Valid JSON (so that Postman can carry it) with quotes, backslashes, shell syntax, Postman
     * variables, a script end tag, non-ASCII, a bidirectional override and U+2028 inside a string,
     * and a tab, CR and LF between tokens.
     */
    static final String HOSTILE_BODY = "{\"body\":\"it's \\\"quoted\\\" \\\\ $HOME $(touch pwned-b1) `touch pwned-b2`"
            + " {{$guid}} {{x}} %s !! </script> zoë 😀 \u202E\u2028 x\\ny\",\r\n\t\"n\": 1}\n";

    static final String HOSTILE_PATH = "/rest/api/2/echo/it's $(touch pwned-p)/zoë 😀/\"q\" `id`";
    static final String HOSTILE_QUERY = "q=a b&x=100%&y='$HOME'&z=`id`&u=zoë&w=%26%3D&e=1+1&s=\"it's\"";

    @TempDir
    static Path home;

    static GatewayFixture gw;

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(home, Map.of(), GatewayFixture.headerUpstream());
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void readsAnIssue(Language language, @TempDir Path work) throws IOException {
        CreatedToken token = gw.createToken(
                TokenSpec.bound("read AAA-1", "admin", "admin").withLimits("[GET].*/rest/api/2/issue/AAA-1"));
        SnippetRequest request =
                SnippetRequest.of(publicUrl(), "admin", token.secret().reveal(), "GET", "/rest/api/2/issue/AAA-1");

        SnippetRunner.Call call = SnippetRunner.execute(language, snippet(language, request), work);

        call.status().ifPresent(status -> assertThat(status).as(call.body()).isEqualTo(200));
        assertThat(JSON.readTree(call.body()).get("key").asText()).isEqualTo("AAA-1");
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void commentsOnAnIssueAsTheTokensUser(Language language, @TempDir Path work) throws IOException {
        CreatedToken token = gw.createToken(TokenSpec.bound("comment on ISSUE-1", "alice", "admin")
                .withLimits("[post].*/rest/api/2/issue/ISSUE-1/comment.*"));
        SnippetRequest request = SnippetRequest.of(
                        publicUrl(), "alice", token.secret().reveal(), "POST", "/rest/api/2/issue/ISSUE-1/comment")
                .withBody("{\"body\":\"Comment text from " + language.id() + "\"}", null);

        SnippetRunner.Call call = SnippetRunner.execute(language, snippet(language, request), work);

        call.status().ifPresent(status -> assertThat(status).as(call.body()).isEqualTo(201));
        JsonNode comment = JSON.readTree(call.body());
        assertThat(comment.at("/author/name").asText()).isEqualTo("alice");
        assertThat(comment.get("body").asText()).isEqualTo("Comment text from " + language.id());
    }

    /**
     * The decisive test for escaping: hostile values in every field reach the upstream exactly
     * (the demo's echo endpoint answers with what it received), and nothing in them ran.
     */
    @ParameterizedTest
    @EnumSource(Language.class)
    void hostileValuesArriveExactlyAndRunNothing(Language language, @TempDir Path work) throws IOException {
        CreatedToken token = gw.createToken(TokenSpec.bound("hostile", HOSTILE_USER, "admin")
                .withLimits("[post].*/rest/api/2/echo/.*[JsonData::n==1]"));
        SnippetRequest request = SnippetRequest.of(
                        publicUrl(), HOSTILE_USER, token.secret().reveal(), "POST", HOSTILE_PATH + "?" + HOSTILE_QUERY)
                .withBody(HOSTILE_BODY, "application/json; charset=utf-8");

        SnippetRunner.Call call = SnippetRunner.execute(language, snippet(language, request), work);

        call.status().ifPresent(status -> assertThat(status).as(call.body()).isEqualTo(200));
        JsonNode echo = JSON.readTree(call.body());
        assertThat(echo.get("method").asText()).isEqualTo("POST");
        // The token is bound to HOSTILE_USER, so a 200 proves the Basic credentials arrived exactly (any
        // other user name is 401), and the upstream names the same user.
        assertThat(echo.get("user").asText()).isEqualTo(HOSTILE_USER);
        assertThat(percentDecode(echo.get("path").asText())).isEqualTo(HOSTILE_PATH);
        assertThat(QueryString.parse(echo.get("query").asText()).asMap())
                .isEqualTo(Map.of(
                        "q", List.of("a b"),
                        "x", List.of("100%"),
                        "y", List.of("'$HOME'"),
                        "z", List.of("`id`"),
                        "u", List.of("zoë"),
                        "w", List.of("&="),
                        "e", List.of("1 1"),
                        "s", List.of("\"it's\"")));
        String expectedBody = language == Language.POSTMAN
                ? PostmanCollection.escapeDoubleBraces(HOSTILE_BODY) // the same JSON, '{{' unreadable to Postman
                : HOSTILE_BODY;
        assertThat(new String(Base64.getDecoder().decode(echo.get("body").asText()), StandardCharsets.UTF_8))
                .isEqualTo(expectedBody);
        assertThat(JSON.readTree(expectedBody)).isEqualTo(JSON.readTree(HOSTILE_BODY));
        assertThat(header(echo, "Content-Type")).isEqualTo("application/json; charset=utf-8");
        try (Stream<Path> files = Files.list(work)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("pwned"));
        }
    }

    /**
     * The largest body a snippet takes: one argument of curl's command line, and more than one
     * Java string constant holds (each emoji takes 6 bytes in a class file).
     */
    @ParameterizedTest
    @EnumSource(Language.class)
    void sendsTheLargestBodyWhole(Language language, @TempDir Path work) throws Exception {
        CreatedToken token = gw.createToken(TokenSpec.bound("large", "bob", "admin"));
        String body = "{\"body\":\"" + "😀".repeat((SnippetRequest.MAX_BODY_BYTES - 11) / 4) + "\"}";
        SnippetRequest request = SnippetRequest.of(
                        publicUrl(), "bob", token.secret().reveal(), "PUT", "/rest/api/2/echo/large")
                .withBody(body, null);

        SnippetRunner.Call call = SnippetRunner.execute(language, snippet(language, request), work);

        call.status().ifPresent(status -> assertThat(status).as(call.body()).isEqualTo(200));
        JsonNode echo = JSON.readTree(call.body());
        assertThat(echo.get("method").asText()).isEqualTo("PUT");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertThat(echo.get("bodyLength").asLong()).isEqualTo(bytes.length);
        assertThat(echo.get("bodySha256").asText())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    }

    private static String snippet(Language language, SnippetRequest request) {
        SnippetSet set = Snippets.generate(request);
        assertThat(set.unavailable()).isEmpty();
        return set.get(language).orElseThrow();
    }

    private static String publicUrl() {
        return gw.server.dataUri().toString();
    }

    private static String header(JsonNode echo, String name) {
        for (JsonNode header : echo.get("headers")) {
            if (header.get("name").asText().equalsIgnoreCase(name)) {
                return header.get("value").asText();
            }
        }
        return null;
    }

    private static String percentDecode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
