package io.tokengate.server.snippets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Executes a generated snippet exactly as generated, with the tool a person would use, and reports
 * the HTTP status and response body it got.
 */
final class SnippetRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SnippetRunner() {}

    /**
     * @param status the HTTP status, or empty where the tool only tells success (PowerShell's
     *     Invoke-RestMethod fails the script on any status that is not 2xx)
     */
    record Call(Optional<Integer> status, String body) {}

    static Call execute(Language language, String snippet, Path work) {
        Path file = work.resolve(language.fileName());
        write(file, snippet);
        switch (language) {
            case CURL:
                return curl(file, work);
            case JAVASCRIPT:
                return statusThenBody(
                        Tools.run(work, Map.of(), Tools.node(), file.toString()).succeeded("node " + file));
            case PYTHON:
                return statusThenBody(Tools.run(work, Map.of(), Tools.python(), file.toString())
                        .succeeded("python3 " + file));
            case JAVA:
                return statusThenBody(Tools.run(
                                work, Map.of(), Tools.java(), file.getFileName().toString())
                        .succeeded("java " + file));
            case POSTMAN:
                return newman(file, work);
            case POWERSHELL:
                return powershell(file, work);
            default:
                throw new IllegalArgumentException("no runner for " + language);
        }
    }

    /**
     * bash runs the command as written; a {@code .curlrc} in {@code CURL_HOME} only adds {@code
     * --write-out} so that the status can be read after the body.
     */
    private static Call curl(Path file, Path work) {
        Tools.curl();
        write(work.resolve(".curlrc"), "write-out = \"\\n%{http_code}\"\n");
        Tools.Result result = Tools.run(
                        work,
                        Map.of("CURL_HOME", work.toString(), "HOME", work.toString()),
                        Tools.require("bash", "the shell the curl snippet is written for", "Debian's bash"),
                        file.toString())
                .succeeded("bash " + file);
        String out = result.stdout();
        int last = out.lastIndexOf('\n');
        assertThat(last).as("curl printed no status line: %s", out).isGreaterThanOrEqualTo(0);
        return new Call(Optional.of(Integer.parseInt(out.substring(last + 1).strip())), out.substring(0, last));
    }

    private static Call statusThenBody(Tools.Result result) {
        String out = result.stdout();
        int newline = out.indexOf('\n');
        assertThat(newline).as("no status line in: %s", out).isGreaterThan(0);
        String body = out.substring(newline + 1);
        return new Call(
                Optional.of(Integer.parseInt(out.substring(0, newline).strip())),
                body.endsWith("\n") ? body.substring(0, body.length() - 1) : body);
    }

    /** newman's JSON report holds the response as received: status code and raw bytes. */
    private static Call newman(Path file, Path work) {
        Path report = work.resolve("newman-report.json");
        Tools.run(
                        work,
                        Map.of(),
                        Tools.newman(),
                        "run",
                        file.toString(),
                        "--reporters",
                        "json",
                        "--reporter-json-export",
                        report.toString())
                .succeeded("newman run " + file);
        try {
            JsonNode run = JSON.readTree(report.toFile()).get("run");
            assertThat(run.get("failures")).as("newman failures").isEmpty();
            JsonNode execution = run.get("executions").get(0);
            assertThat(execution.has("requestError"))
                    .as("newman request error: %s", execution.get("requestError"))
                    .isFalse();
            JsonNode response = execution.get("response");
            byte[] bytes = new byte[response.at("/stream/data").size()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) response.at("/stream/data").get(i).asInt();
            }
            return new Call(Optional.of(response.get("code").asInt()), new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Call powershell(Path file, Path work) {
        Optional<String> pwsh = Tools.pwsh();
        assumeThat(pwsh)
                .as("pwsh is not installed (no Debian repository has it); PowerShellSnippetTest checks the"
                        + " generated script's values structurally instead")
                .isPresent();
        Tools.Result result = Tools.run(
                        work, Map.of(), pwsh.get(), "-NoProfile", "-NonInteractive", "-File", file.toString())
                .succeeded("pwsh " + file);
        return new Call(Optional.empty(), result.stdout());
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
