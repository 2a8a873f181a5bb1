package io.tokengate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        var commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    @Test
    void allowedExitsZeroAndNamesTheRule() {
        int code = run(
                "check",
                "--limits-text",
                "# CI\n.*/rest/api/2/issue/JRA.*\n[post].*/rest/api/2/issue/KANBAN-100/comment.*",
                "--method",
                "post",
                "--url",
                "https://gw.example.com/rest/api/2/issue/KANBAN-100/comment");
        assertThat(code).isZero();
        assertThat(out.toString())
                .isEqualToNormalizingNewlines("POST https://gw.example.com/rest/api/2/issue/KANBAN-100/comment\n"
                        + "ALLOWED by rule 2 (line 3): [POST].*/rest/api/2/issue/KANBAN-100/comment.*\n");
    }

    @Test
    void deniedExitsOneAndExplainsEachRule() {
        int code = run(
                "check",
                "--limits-text",
                ".*/rest/extender/1.0/filter/user/.*[QueryParam::permissions==true]",
                "--url",
                "https://gw.example.com/rest/extender/1.0/filter/user/admin?permissions=true&permissions=false");
        assertThat(code).isEqualTo(1);
        assertThat(out.toString())
                .contains("DENIED: no rule matches")
                .contains("failed at [QueryParam::permissions==true]: query parameter 'permissions':"
                        + " one of 2 values 'false' does not match 'true'");
    }

    @Test
    void limitsThatDoNotParseExitTwoWithLineAndColumn(@TempDir Path dir) throws Exception {
        Path limits = dir.resolve("limits.txt");
        Files.writeString(limits, ".*/ok\n.*/rest/api/2/[Header::x==y]\n");
        int code = run("check", "--limits", limits.toString(), "--url", "https://gw/rest/api/2/x");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .contains("line 2, column 16: unknown condition 'Header' (expected QueryParam or JsonData)");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void jsonOutputForScripts(@TempDir Path dir) throws Exception {
        Path body = dir.resolve("body.json");
        Files.writeString(body, "{\"editable\":false,\"favourite\":true}");
        int code = run(
                "check",
                "--json",
                "--limits-text",
                ".*/rest/api/2/filter[JsonData::editable==false][JsonData::favourite==false]",
                "--method",
                "POST",
                "--url",
                "https://gw/rest/api/2/filter",
                "--body",
                body.toString());
        assertThat(code).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("allowed").asBoolean()).isFalse();
        assertThat(json.get("rejected").asBoolean())
                .as("denied by the limits, not refused by the gateway")
                .isFalse();
        assertThat(json.at("/failures/0/failedPart").asText()).isEqualTo("[JsonData::favourite==false]");
        assertThat(json.at("/failures/0/line").asInt()).isEqualTo(1);
        assertThat(json.at("/request/url").asText()).isEqualTo("https://gw/rest/api/2/filter");

        out.getBuffer().setLength(0);
        assertThat(run("check", "--json", "--limits-text", "[pots].*", "--url", "https://gw/x"))
                .isEqualTo(2);
        JsonNode error = new ObjectMapper().readTree(out.toString());
        assertThat(error.at("/problems/0/column").asInt()).isEqualTo(2);
        assertThat(error.at("/problems/0/reason").asText())
                .isEqualTo("unknown HTTP method 'pots' (did you mean POST?)");
    }

    @Test
    void aRequestTheGatewayWouldRefuseIsDenied() {
        int code = run("check", "--limits-text", ".*", "--url", "https://gw/rest/api/2/issue/..%2F..%2Fadmin");
        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).startsWith("REJECTED (400)").contains("encoded '/' (%2F) in path");
    }

    @Test
    void aRequestLineLongerThanTheGatewayReadsIsRejectedWith414() {
        // "GET " + target + " HTTP/1.1": 16384 bytes is the most the gateway reads.
        String target = "/rest/api/2/search?jql=" + "a".repeat(16384 - 13 - 23);
        assertThat(run("check", "--limits-text", ".*", "--url", "https://gw" + target))
                .as(out.toString())
                .isZero();
        int code = run("check", "--limits-text", ".*", "--url", "https://gw" + target + "a");
        assertThat(code).isEqualTo(1);
        assertThat(out.toString())
                .contains("REJECTED (414)")
                .contains("a request line of 16385 bytes, longer than the 16384 bytes of request head it reads");
    }

    /** The gateway's 400 for a query Jira's Tomcat would not read in full, under a rule judging it. */
    private static final String TOO_MANY_PARAMETERS = "REJECTED (400): The token's restrictions judge query"
            + " parameters, and the query has more than 1000 of them: Jira's servlet container reads no further,"
            + " so it would not see them all.";

    private static final String FILTERS = ".*/rest/extender/1.0/filter/user/.*[QueryParam::permissions==true]";

    /** {@code permissions=true} and {@code others} more parameters. */
    private static String filtersUrl(int others) {
        return "https://gw/rest/extender/1.0/filter/user/admin?permissions=true" + "&p=1".repeat(others);
    }

    @Test
    void moreQueryParametersThanJiraReadsAreRejectedUnderARuleThatJudgesThem() {
        int code = run("check", "--limits-text", FILTERS, "--url", filtersUrl(1000));
        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).isEqualToNormalizingNewlines(TOO_MANY_PARAMETERS + "\n");
    }

    @Test
    void asManyQueryParametersAsJiraReadsAreJudgedByTheLimits() {
        assertThat(run("check", "--limits-text", FILTERS, "--url", filtersUrl(999)))
                .as(out.toString())
                .isZero();
        assertThat(out.toString()).contains("ALLOWED by rule 1");
    }

    @Test
    void moreQueryParametersThanJiraReadsAreJudgedByTheLimitsUnderOtherRules() {
        assertThat(run("check", "--limits-text", ".*/rest/extender/.*", "--url", filtersUrl(1000)))
                .as(out.toString())
                .isZero();
        assertThat(run(
                        "check",
                        "--limits-text",
                        FILTERS,
                        "--url",
                        filtersUrl(1000).replace("=true", "=false")))
                .as("denied by the limits, as the gateway denies it (403)")
                .isEqualTo(1);
        assertThat(out.toString()).contains("DENIED: no rule matches").doesNotContain("REJECTED");
    }

    @Test
    void moreQueryParametersThanJiraReadsAreRejectedInJson() throws Exception {
        int code = run("check", "--json", "--limits-text", FILTERS, "--url", filtersUrl(1000));
        assertThat(code).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("allowed").asBoolean()).isFalse();
        assertThat(json.get("rejected").asBoolean()).as("as the API says it").isTrue();
        assertThat(json.get("status").asInt()).isEqualTo(400);
        assertThat("REJECTED (400): " + json.get("reason").asText()).isEqualTo(TOO_MANY_PARAMETERS);
    }

    @Test
    void aBodyLongerThanTheGatewayReadsForJsonLimitsIsRejectedWith413(@TempDir Path dir) throws Exception {
        Path body = dir.resolve("body.json");
        Files.writeString(body, "{\"editable\":false}" + " ".repeat(1024 * 1024 - 18));
        String filters = "[post].*/rest/api/2/filter[JsonData::editable==false]";
        String[] check = {
            "check",
            "--limits-text",
            filters,
            "--method",
            "POST",
            "--url",
            "https://gw/rest/api/2/filter",
            "--body",
            body.toString()
        };
        assertThat(run(check)).as("1 MiB, the default body.inspect.max: judged").isZero();

        Files.writeString(body, " ", java.nio.file.StandardOpenOption.APPEND);
        out.getBuffer().setLength(0);
        assertThat(run(check)).isEqualTo(1);
        assertThat(out.toString())
                .startsWith("REJECTED (413): The token's restrictions inspect the request body, which may be at most"
                        + " 1048576 bytes.");
        check[2] = "[post].*";
        assertThat(run(check))
                .as("limits that read no body take one of any length")
                .isZero();
    }

    /** Jira signs a request in by the parameters of a form body too: refused where the limits allow it. */
    @Test
    void aFormBodyWithJiraSignInParametersIsRejected() {
        String[] check = {
            "check",
            "--limits-text",
            "[post].*",
            "--method",
            "POST",
            "--url",
            "https://gw/rest/api/2/filter",
            "-H",
            "Content-Type: application/x-www-form-urlencoded",
            "--body-text",
            "name=Bugs&os_username=bob&os_password=secret"
        };
        assertThat(run(check)).isEqualTo(1);
        assertThat(out.toString())
                .startsWith("REJECTED (400): Jira sign-in parameters are not accepted in a form body (os_username)");
        out.getBuffer().setLength(0);
        check[check.length - 1] = "name=Bugs&username=bob";
        assertThat(run(check)).as("a form without them").isZero();
    }

    /**
     * A JSON body beside a rule that judges query parameters must carry each of them, allowed as
     * the query's: Jira's search takes {@code jql} from the body of a POST, whatever the query says,
     * and searches every issue when the body has none.
     */
    @Test
    void aBodyFieldNamedAsAJudgedQueryParameterIsRejected() {
        String[] check = {
            "check",
            "--limits-text",
            ".*/rest/api/2/search[QueryParam::jql==project = AAA]",
            "--method",
            "POST",
            "--url",
            "https://gw/rest/api/2/search?jql=project%20%3D%20AAA",
            "--body-text",
            "{\"jql\":\"project = SECRET\"}"
        };
        assertThat(run(check)).isEqualTo(1);
        assertThat(out.toString())
                .startsWith("REJECTED (400): The token's restrictions judge the query parameter jql, and the body has"
                        + " a field jql, which Jira may read instead");
        out.getBuffer().setLength(0);
        check[check.length - 1] = "jql=project+%3D+SECRET";
        assertThat(run(check)).isEqualTo(1);
        assertThat(out.toString())
                .as("a body the gateway cannot read as JSON")
                .startsWith("REJECTED (400): The token's restrictions judge query parameters, and the request body is"
                        + " not JSON");
        out.getBuffer().setLength(0);
        check[check.length - 1] = "{\"maxResults\":1000}";
        assertThat(run(check))
                .as("a body without it: Jira would search every issue")
                .isEqualTo(1);
        assertThat(out.toString())
                .startsWith("REJECTED (400): The token's restrictions judge the query parameter jql, and the body has"
                        + " no field jql: Jira may read the parameter from the body instead");
        out.getBuffer().setLength(0);
        check[check.length - 1] = "{\"jql\":\"project = AAA\",\"maxResults\":1000}";
        assertThat(run(check)).as("a body with it, allowed as the query's is").isZero();
    }

    /** The refusals that hang on headers, made when the sample has them, in the gateway's words. */
    @Test
    void headersTheGatewayRefusesARequestForAreRefusedToo() {
        String url = filtersUrl(0);
        assertThat(run(
                        "check",
                        "--limits-text",
                        FILTERS,
                        "--method",
                        "POST",
                        "--url",
                        url,
                        "--body-text",
                        "{\"name\":\"Bugs\",\"permissions\":true}"))
                .as("no Content-Type: no form body")
                .isZero();
        out.getBuffer().setLength(0);
        assertThat(run(
                        "check",
                        "--limits-text",
                        FILTERS,
                        "--method",
                        "POST",
                        "--url",
                        url,
                        "-H",
                        "Content-Type: application/x-www-form-urlencoded",
                        "--body-text",
                        "permissions=false"))
                .isEqualTo(1);
        assertThat(out.toString())
                .startsWith("REJECTED (400): The token's restrictions judge query parameters, and"
                        + " Jira reads the parameters of a form body (application/x-www-form-urlencoded)");

        out.getBuffer().setLength(0);
        assertThat(run(
                        "check",
                        "--limits-text",
                        FILTERS,
                        "--url",
                        url,
                        "--header",
                        "Content-Type: text/plain; charset=UTF-16"))
                .isEqualTo(1);
        assertThat(out.toString())
                .startsWith("REJECTED (400): The token's restrictions judge query parameters, read as"
                        + " UTF-8, and the request declares charset UTF-16");

        out.getBuffer().setLength(0);
        String filter = "[post].*/rest/api/2/filter[JsonData::editable==false]";
        assertThat(run(
                        "check",
                        "--limits-text",
                        filter,
                        "--method",
                        "POST",
                        "--url",
                        "https://gw/rest/api/2/filter",
                        "-H",
                        "Content-Encoding: gzip",
                        "--body-text",
                        "{\"editable\":false}"))
                .isEqualTo(1);
        assertThat(out.toString())
                .startsWith("REJECTED (415): The token's restrictions inspect the request body, which"
                        + " cannot be read with Content-Encoding gzip.");

        out.getBuffer().setLength(0);
        assertThat(run(
                        "check",
                        "--limits-text",
                        ".*",
                        "--method",
                        "POST",
                        "--url",
                        url,
                        "-H",
                        "X-HTTP-Method-Override: DELETE"))
                .isEqualTo(1);
        assertThat(out.toString())
                .startsWith("REJECTED (400): the gateway refuses this request before any limits apply: method override"
                        + " header X-HTTP-Method-Override");
        out.getBuffer().setLength(0);
        assertThat(run("check", "--limits-text", ".*", "--url", url, "-H", "Accept: application/json"))
                .as("a header the gateway takes")
                .isZero();
    }

    @Test
    void aHeaderThatIsNotNameColonValueOrFramesTheBodyIsAUsageError() {
        assertThat(run("check", "--limits-text", ".*", "--url", "https://gw/rest/api/2/x", "-H", "no colon"))
                .isEqualTo(Main.USAGE);
        assertThat(err.toString()).contains("a header is written 'Name: value', got 'no colon'");
        assertThat(run("check", "--limits-text", ".*", "--url", "https://gw/rest/api/2/x", "-H", "Content-Length: 5"))
                .isEqualTo(Main.USAGE);
        assertThat(err.toString()).contains("the sample's body sets its length: leave out the header Content-Length");
        assertThat(run(
                        "check",
                        "--limits-text",
                        ".*",
                        "--url",
                        "https://gw/rest/api/2/x",
                        "-H",
                        "Accept: x\r\nX-HTTP-Method-Override: DELETE"))
                .as("a line break would hide a second header from the check")
                .isEqualTo(Main.USAGE);
        assertThat(err.toString()).contains("a header value holds a control character");
    }

    @Test
    void usageErrorsExitWith64() {
        assertThat(run("check", "--url", "https://gw/x")).isEqualTo(Main.USAGE);
        assertThat(err.toString()).contains("Missing required argument");
        assertThat(run("check", "--limits-text", ".*", "--url", "ftp://gw/x")).isEqualTo(Main.USAGE);
        assertThat(run("check", "--limits-text", ".*", "--limits", "f", "--url", "https://gw/x"))
                .isEqualTo(Main.USAGE);
    }
    /** The example in {@code check --help}, pasted into a shell as printed, runs and is allowed. */
    @Test
    void theHelpsExamplePastedAsPrintedRuns() {
        assertThat(run("check", "--help")).isZero();
        String help = out.toString().replace("\r\n", "\n");
        String example = help.substring(help.indexOf("Example:\n") + "Example:\n".length());
        StringBuilder command = new StringBuilder();
        for (String line : example.split("\n")) {
            command.append(line.strip());
            if (!line.endsWith("\\")) {
                break;
            }
            command.setLength(command.length() - 1);
        }
        List<String> words = shellWords(command.toString());
        assertThat(words).startsWith("tokengate", "check");
        out.getBuffer().setLength(0);
        assertThat(run(words.subList(1, words.size()).toArray(String[]::new)))
                .as(command + "\n" + err)
                .isZero();
        assertThat(out.toString())
                .startsWith("POST https://gw.example.com/rest/api/2/issue/KANBAN-100/comment\nALLOWED by rule 1");
    }

    /** Words as a POSIX shell splits them, with single quotes: enough for the help's example. */
    private static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                word = word == null ? new StringBuilder() : word;
            } else if (c == ' ' && !quoted) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
