package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.demo.ReceivedRequest;
import io.tokengate.server.GatewayFixture;
import io.tokengate.store.UserRole;
import java.io.IOException;
import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real clients against a running gateway: the seed page's curl examples exactly as written (the
 * gateway's URL for JIRA_URL, a token for the seed's made-up ones, the POST example's missing
 * {@code POST} after {@code -X} supplied), each restriction example of the seed allowed and denied
 * as its prose says, and Java's HttpClient answering the gateway's Basic challenge.
 */
class CurlClientIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;

    static GatewayFixture gw;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        assertCurlInstalled();
        gw = GatewayFixture.start(home, Map.of(), GatewayFixture.headerUpstream());
        gw.addUser("admin", "admin@example.com", UserRole.ADMIN);
        gw.addUser("ansible", "ansible@ansible.jira.pl", UserRole.USER);
        url = gw.server.dataUri().toString();
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void seedGetExampleWithTheUserName() throws Exception {
        String token = token(TokenSpec.bound("seed get", "admin", "admin"));
        String out = sh("curl -s -u admin:" + token + " " + url + "/rest/api/2/issue/AAA-1");
        assertThat(JSON.readTree(out).path("key").asText()).isEqualTo("AAA-1");
        assertThat(lastReceived().header("X-Forwarded-User")).contains("admin");
    }

    @Test
    void seedGetExampleWithTheBoundUsersEmail() throws Exception {
        String token = token(TokenSpec.bound("ansible", "ansible", "admin"));
        String out = sh("curl -s -u ansible@ansible.jira.pl:" + token + " " + url + "/rest/api/2/issue/AAA-1");
        assertThat(JSON.readTree(out).path("key").asText()).isEqualTo("AAA-1");
        assertThat(lastReceived().header("X-Forwarded-User")).contains("ansible");
    }

    @Test
    void seedPostExample() throws Exception {
        String token = token(TokenSpec.bound("seed post", "admin", "admin"));
        String out = sh("curl -u admin:" + token + " -H \"Content-Type: application/json\""
                + " --data '{\"body\":\"Comment text\"}' -X POST " + url + "/rest/api/2/issue/ISSUE-1/comment");
        JsonNode comment = JSON.readTree(out);
        assertThat(comment.path("body").asText()).isEqualTo("Comment text");
        assertThat(comment.at("/author/name").asText()).isEqualTo("admin");
        ReceivedRequest seen = lastReceived();
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.bodyText()).isEqualTo("{\"body\":\"Comment text\"}");
    }

    /** Each restriction example of the seed, with a request its prose allows and ones it does not. */
    @ParameterizedTest(name = "{0} | {1} {2} -> {4}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                // Restriction to JRA project issues
                ".*/rest/api/2/issue/JRA.*                        | GET  | /rest/api/2/issue/JRA-1 | | 200",
                ".*/rest/api/2/issue/JRA.*                        | GET  | /rest/api/2/issue/JRA-10 | | 200",
                ".*/rest/api/2/issue/JRA.*                        | GET  | /rest/api/2/issue/AAA-1 | | 403",
                ".*/rest/api/2/issue/JRA.*                        | GET  | /rest/api/2/search?jql=project%20%3D%20JRA | | 403",
                // Restriction to 'comment' endpoint on KANBAN-100 issue (only POST method)
                "[post].*/rest/api/2/issue/KANBAN-100/comment.*   | POST | /rest/api/2/issue/KANBAN-100/comment"
                        + " | {\"body\":\"Done\"} | 201",
                "[post].*/rest/api/2/issue/KANBAN-100/comment.*   | GET  | /rest/api/2/issue/KANBAN-100/comment | | 403",
                "[post].*/rest/api/2/issue/KANBAN-100/comment.*   | POST | /rest/api/2/issue/KANBAN-101/comment"
                        + " | {\"body\":\"Done\"} | 403",
                // Restriction to all filters for all users (only with permission)
                ".*/rest/extender/1.0/filter/user/.*[QueryParam::permissions==true]"
                        + " | GET | /rest/extender/1.0/filter/user/admin?permissions=true | | 200",
                ".*/rest/extender/1.0/filter/user/.*[QueryParam::permissions==true]"
                        + " | GET | /rest/extender/1.0/filter/user/alice?permissions=true | | 200",
                ".*/rest/extender/1.0/filter/user/.*[QueryParam::permissions==true]"
                        + " | GET | /rest/extender/1.0/filter/user/admin | | 403",
                ".*/rest/extender/1.0/filter/user/.*[QueryParam::permissions==true]"
                        + " | GET | /rest/extender/1.0/filter/user/admin?permissions=false | | 403",
                // Restriction to worklogs for all users (only in the date range 2018-01-01 - 2018-12-01)
                ".*rest/extender/1.0/worklog/user/.*[QueryParam::dateFrom==2018-01-01][QueryParam::dateTo==2018-12-01]"
                        + " | GET | /rest/extender/1.0/worklog/user/bob?dateFrom=2018-01-01&dateTo=2018-12-01 | | 200",
                ".*rest/extender/1.0/worklog/user/.*[QueryParam::dateFrom==2018-01-01][QueryParam::dateTo==2018-12-01]"
                        + " | GET | /rest/extender/1.0/worklog/user/bob?dateFrom=2018-01-01&dateTo=2019-12-01 | | 403",
                ".*rest/extender/1.0/worklog/user/.*[QueryParam::dateFrom==2018-01-01][QueryParam::dateTo==2018-12-01]"
                        + " | GET | /rest/extender/1.0/worklog/user/bob?dateTo=2018-12-01 | | 403",
                // Restriction to create new filter (limited to uneditable only): the seed's sample request
                ".*/rest/api/2/filter[JsonData::editable==false]  | POST | /rest/api/2/filter | `{\"name\": \"All Open"
                        + " Bugs\", \"description\": \"Lists all open bugs\", \"jql\": \"type = Bug and resolution is"
                        + " empty\", \"favourite\": true, \"editable\": false}` | 200",
                ".*/rest/api/2/filter[JsonData::editable==false]  | POST | /rest/api/2/filter | `{\"name\": \"All Open"
                        + " Bugs\", \"favourite\": true, \"editable\": true}` | 403",
                // ... without adding to favorites: the seed's sample request is a favourite, so it is refused
                ".*/rest/api/2/filter[JsonData::editable==false][JsonData::favourite==false] | POST | /rest/api/2/filter"
                        + " | `{\"name\": \"All Open Bugs\", \"description\": \"Lists all open bugs\", \"jql\": \"type ="
                        + " Bug and resolution is empty\", \"favourite\": true, \"editable\": false}` | 403",
                ".*/rest/api/2/filter[JsonData::editable==false][JsonData::favourite==false] | POST | /rest/api/2/filter"
                        + " | `{\"name\": \"All Open Bugs\", \"description\": \"Lists all open bugs\", \"jql\": \"type ="
                        + " Bug and resolution is empty\", \"favourite\": false, \"editable\": false}` | 200",
            })
    void seedRestrictionExamples(String limits, String method, String path, String body, int status) throws Exception {
        String token = token(TokenSpec.bound("seed example", "admin", "admin").withLimits(limits));
        gw.jira.clearReceived();
        StringBuilder command = new StringBuilder("curl -s -w '\\n%{http_code}' -u admin:" + token);
        if (method.equals("POST")) {
            command.append(" -H \"Content-Type: application/json\" --data '")
                    .append(body)
                    .append("' -X POST");
        }
        command.append(" '").append(url).append(path).append("'");
        List<String> out = sh(command.toString()).lines().toList();
        assertThat(Integer.parseInt(out.get(out.size() - 1)))
                .as(String.join("\n", out))
                .isEqualTo(status);
        if (status == 403) {
            assertThat(gw.jira.received()).isEmpty();
            assertThat(JSON.readTree(out.get(0)).path("message").asText()).contains("restrictions do not allow");
        } else {
            assertThat(gw.jira.received()).hasSize(1);
        }
    }

    @Test
    void javasHttpClientAnswersTheGatewaysBasicChallengeWithTheToken() throws Exception {
        String token = token(TokenSpec.bound("java", "admin", "admin"));
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .authenticator(new Authenticator() {
                    @Override
                    protected PasswordAuthentication getPasswordAuthentication() {
                        return new PasswordAuthentication("admin", token.toCharArray());
                    }
                })
                .build();
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(gw.url("/rest/api/2/issuetype")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).isArray()).isTrue();
        assertThat(lastReceived().header("X-Forwarded-User")).contains("admin");
    }

    private static String token(TokenSpec spec) {
        return gw.createToken(spec).secret().reveal();
    }

    private static ReceivedRequest lastReceived() {
        List<ReceivedRequest> received = gw.jira.received();
        assertThat(received).isNotEmpty();
        return received.get(received.size() - 1);
    }

    /** Runs {@code command} with /bin/sh, as a user would paste it; returns stdout. */
    private static String sh(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("/bin/sh", "-c", command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("curl did not finish within 30 s: " + command);
        }
        assertThat(process.exitValue()).as("exit status of " + command).isZero();
        return out;
    }

    private static void assertCurlInstalled() throws Exception {
        try {
            Process probe = new ProcessBuilder("curl", "--version")
                    .redirectErrorStream(true)
                    .start();
            probe.getInputStream().readAllBytes();
            if (probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                return;
            }
        } catch (IOException e) {
            // not installed: fall through
        }
        throw new AssertionError("curl is not installed; these tests run the seed's curl examples with the real"
                + " curl binary. Install it (Debian: apt-get install curl, or run .ci/setup).");
    }
}
