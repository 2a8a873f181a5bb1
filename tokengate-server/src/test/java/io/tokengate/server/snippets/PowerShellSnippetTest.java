package io.tokengate.server.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Debian repository has pwsh, so SnippetsIT cannot run the PowerShell snippet here (it does
 * where pwsh is installed). This checks it as text instead: the fixed lines exactly, and every
 * value-bearing expression evaluated by {@link PowerShellEvaluator}, which accepts only verbatim
 * strings and character codes, so nothing in a value can be expanded or run.
 */
class PowerShellSnippetTest {
    static final Pattern ASSIGN = Pattern.compile("\\$(user|token) = (.*)");
    static final Pattern BODY = Pattern.compile("\\$body = \\[Text\\.Encoding\\]::UTF8\\.GetBytes\\((.*)\\)");
    static final Pattern INVOKE = Pattern.compile(
            "\\$response = Invoke-RestMethod -Method (\\w+) -Uri (.*?) -Headers \\$headers(?: -ContentType (.*) -Body \\$body)?");

    @Test
    void aGetCarriesUserTokenAndUrl() {
        SnippetRequest request = SnippetRequest.of(
                "https://gw.example.com", "admin", SnippetsTest.SECRET, "GET", "/rest/api/2/issue/AAA-1");
        Script script = Script.of(request);
        assertThat(script.method).isEqualTo("Get");
        assertThat(script.user).isEqualTo("admin");
        assertThat(script.token).isEqualTo(SnippetsTest.SECRET);
        assertThat(script.uri).isEqualTo("https://gw.example.com/rest/api/2/issue/AAA-1");
        assertThat(script.body).isNull();
        assertThat(script.contentType).isNull();
    }

    @Test
    void hostileValuesEvaluateToThemselves() {
        SnippetRequest request = SnippetRequest.of(
                        "https://gw.example.com",
                        SnippetsIT.HOSTILE_USER + " \u2019' $env_PATH",
                        "tgk_'$x`\"",
                        "PATCH",
                        SnippetsIT.HOSTILE_PATH + "?" + SnippetsIT.HOSTILE_QUERY)
                .withBody(
                        SnippetsIT.HOSTILE_BODY + "\u2018' + (New-Item pwned) + '", "application/json; charset=utf-8");
        Script script = Script.of(request);
        assertThat(script.method).isEqualTo("Patch");
        assertThat(script.user).isEqualTo(request.user());
        assertThat(script.token).isEqualTo(request.secret());
        assertThat(script.uri).isEqualTo(request.url());
        assertThat(script.body).isEqualTo(request.body());
        assertThat(script.contentType).isEqualTo("application/json; charset=utf-8");
    }

    /** What the script's credentials line computes, done in Java: UTF-8 bytes, then base64. */
    @Test
    void theBasicHeaderIsBuiltFromUtf8Bytes() {
        String text = generate(SnippetRequest.of("https://gw", "zoë", "tgk_x", "GET", "/rest/x"));
        assertThat(text)
                .contains(
                        "$credentials = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($user + ':' + $token))\n")
                .contains("$headers = @{ Authorization = 'Basic ' + $credentials }\n");
        assertThat(Base64.getEncoder().encodeToString("zoë:tgk_x".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("em/Dqzp0Z2tfeA==");
    }

    private static String generate(SnippetRequest request) {
        return Snippets.generate(request).get(Language.POWERSHELL).orElseThrow();
    }

    /** The generated script, taken apart line by line; any unexpected line fails. */
    static final class Script {
        String user;
        String token;
        String method;
        String uri;
        String body;
        String contentType;

        static Script of(SnippetRequest request) {
            String text = generate(request);
            assertThat(text.chars()).allMatch(c -> c == '\n' || c >= 0x20 && c < 0x7f);
            List<String> lines = List.of(text.split("\n"));
            Script script = new Script();
            int i = 0;
            assertThat(lines.get(i++)).isEqualTo("# Windows PowerShell 5.1 or PowerShell 7+");
            script.user = assigned(lines.get(i++), "user");
            script.token = assigned(lines.get(i++), "token");
            assertThat(lines.get(i++))
                    .isEqualTo(
                            "$credentials = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($user + ':' + $token))");
            assertThat(lines.get(i++)).isEqualTo("$headers = @{ Authorization = 'Basic ' + $credentials }");
            if (request.hasBody()) {
                Matcher body = BODY.matcher(lines.get(i++));
                assertThat(body.matches()).isTrue();
                script.body = PowerShellEvaluator.evaluate(body.group(1));
            }
            Matcher invoke = INVOKE.matcher(lines.get(i++));
            assertThat(invoke.matches()).as(lines.get(i - 1)).isTrue();
            script.method = invoke.group(1);
            script.uri = PowerShellEvaluator.evaluate(invoke.group(2));
            script.contentType = invoke.group(3) == null ? null : PowerShellEvaluator.evaluate(invoke.group(3));
            assertThat(invoke.group(3) == null).isEqualTo(!request.hasBody());
            assertThat(lines.get(i++)).isEqualTo("$response | ConvertTo-Json -Depth 20");
            assertThat(lines).hasSize(i);
            return script;
        }

        private static String assigned(String line, String variable) {
            Matcher matcher = ASSIGN.matcher(line);
            assertThat(matcher.matches()).as(line).isTrue();
            assertThat(matcher.group(1)).isEqualTo(variable);
            return PowerShellEvaluator.evaluate(matcher.group(2));
        }
    }
}
