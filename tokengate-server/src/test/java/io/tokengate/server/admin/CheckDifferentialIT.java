package io.tokengate.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.limits.LimitsParser;
import io.tokengate.core.token.TokenSecret;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.admin.AdminClient.Reply;
import io.tokengate.server.cli.Main;
import io.tokengate.store.UserRole;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dry run predicts the gateway: generated (limits, request) pairs go through a real gateway
 * in front of the sample Jira, with a token carrying those limits, and to {@code POST
 * /api/v1/check} with that token; a sample of them to {@code tokengate check --json} too. All must
 * agree on the outcome (forwarded, refused by the limits, or rejected before them with the same
 * status) and on the rule that allowed the request or the reason it was refused, and the command
 * must print the API's answer. Reproducible: {@code
 * -Dtokengate.fuzz.seed=N} picks other cases, and a disagreement names its seed and case.
 */
class CheckDifferentialIT {
    private static final long SEED = Long.getLong("tokengate.fuzz.seed", 20261201L);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LIMITS = 50;
    private static final int REQUESTS_PER_LIMITS = 8;
    private static final String PUBLIC_URL = "http://gw.example.test";
    private static final String ADMIN = "root";
    private static final String ADMIN_PASSWORD = "root-password-1";
    /** A secret of no token: the gateway refuses any in a URL, its own or another's. */
    private static final String SECRET =
            TokenSecret.generate(new SecureRandom()).reveal();

    @TempDir
    static Path home;

    static GatewayFixture gw;
    static AdminClient admin;

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(
                home,
                Map.of("gateway.public.url", PUBLIC_URL, "login.max.failures", "0"),
                GatewayFixture.headerUpstream());
        gw.server.localUsers().add(ADMIN, null, null, UserRole.ADMIN, ADMIN_PASSWORD.toCharArray());
        admin = AdminClient.anonymous(gw, new OpenApiContract()).signIn(ADMIN, ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void theDryRunsAgreeWithTheGateway() throws Exception {
        CheckCases cases = new CheckCases(SEED);
        List<String> disagreements = new ArrayList<>();
        Map<String, Integer> outcomes = new HashMap<>();
        int asked = 0;
        int cliRuns = 0;
        // Where the gateway refuses what the limits allow: a rule that judges query parameters.
        int allowedByQueryRule = 0;
        int tooManyParameters = 0;
        // Requests with headers, and those of them the gateway refused with 400 or 415.
        int withHeaders = 0;
        int refusedWithHeaders = 0;
        for (int n = 0; n < LIMITS; n++) {
            String limits = cases.limits();
            List<CheckCases.Request> requests = new ArrayList<>();
            for (int r = 0; r < REQUESTS_PER_LIMITS; r++) {
                requests.add(cases.request(limits));
            }
            // Every 25th request goes to the command line too: it starts no JVM, but is not free.
            Set<Integer> viaCli = new HashSet<>();
            for (int r = 0; r < REQUESTS_PER_LIMITS; r++) {
                if ((n * REQUESTS_PER_LIMITS + r) % 25 == 0) {
                    viaCli.add(r);
                }
            }
            List<Verdict> verdicts = compare("seed " + SEED + ", limits " + n, limits, requests, viaCli);
            for (Verdict verdict : verdicts) {
                asked++;
                cliRuns += verdict.cli() == null ? 0 : 1;
                outcomes.merge(coarse(verdict.gateway()), 1, Integer::sum);
                allowedByQueryRule += allowedByQueryRule(verdict) ? 1 : 0;
                tooManyParameters += verdict.gateway().equals("rejected 400")
                                && verdict.request().querySegments() > 1000
                        ? 1
                        : 0;
                if (!verdict.request().headers().isEmpty()) {
                    withHeaders++;
                    refusedWithHeaders += verdict.gateway().equals("rejected 400")
                                    || verdict.gateway().equals("rejected 415")
                            ? 1
                            : 0;
                }
                verdict.disagreement().ifPresent(disagreements::add);
            }
        }
        String counts = outcomes + ", of " + asked + ": " + allowedByQueryRule + " forwarded by a rule judging query"
                + " parameters, " + tooManyParameters + " rejected for more than 1000 of them";
        assertThat(disagreements)
                .as("dry runs that did not predict the gateway")
                .isEmpty();
        assertThat(asked).isGreaterThan(LIMITS * REQUESTS_PER_LIMITS * 3 / 4);
        assertThat(cliRuns).isGreaterThanOrEqualTo(10);
        // Every kind of outcome, in a fair share, or the cases test only one path.
        assertThat(outcomes.keySet())
                .as(outcomes.toString())
                .contains("forwarded", "denied", "rejected 400", "rejected 404", "rejected 405");
        assertThat(outcomes.get("forwarded")).as(outcomes.toString()).isGreaterThan(asked / 10);
        assertThat(outcomes.get("denied")).as(outcomes.toString()).isGreaterThan(asked / 10);
        // The path where the gateway adds refusals of its own, in a fair share, up to Jira's 1000.
        assertThat(allowedByQueryRule).as(counts).isGreaterThan(asked / 10);
        assertThat(tooManyParameters).as(counts).isPositive();
        // Headers the dry runs are given as the gateway is: some refused for them, most not.
        assertThat(withHeaders).as(counts).isGreaterThan(asked / 8);
        assertThat(refusedWithHeaders)
                .as(withHeaders + " with headers")
                .isPositive()
                .isLessThan(withHeaders);
    }

    /** Whether the gateway forwarded the request by a rule with a {@code [QueryParam::…]} condition. */
    private static boolean allowedByQueryRule(Verdict verdict) {
        if (!verdict.gateway().startsWith("forwarded: ") || verdict.gateway().endsWith("(no rule: no limits)")) {
            return false;
        }
        String rule = verdict.gateway().substring("forwarded: ".length());
        return LimitsParser.parse(rule).rules().get(0).judgesQueryParameters();
    }

    /**
     * Disagreements found by the generated cases, kept: the gateway refuses TRACE with 405 before
     * it looks at the path or the limits (the dry runs called it allowed, or a 400 where the path
     * was malformed), and serves nothing outside {@code gateway.endpoints} (the command line,
     * which has no settings, called such requests allowed or denied by the limits); and refuses
     * with 400 a request whose URL holds a token secret (the dry runs judged it by the limits), and
     * a TRACE whose path has an invalid percent-escape (the check API answered 400 itself, for its
     * field {@code url}, and the command line exited 64); and
     * answers 414 to a request line longer than the 16 KiB of request head it reads, as a query of
     * a thousand parameters can be (the dry runs called it allowed, or refused it for its count).
     */
    @Test
    void requestsRefusedBeforeAnyLimitsAreRefusedByTheDryRunsToo() throws Exception {
        List<CheckCases.Request> requests = List.of(
                new CheckCases.Request("TRACE", "/rest/api/2/issue/JRA-1", null),
                new CheckCases.Request("TRACE", "/rest/api/%2E%2E/issue/AAA-1", null),
                new CheckCases.Request("TRACK", "/rest/api/2/issue/JRA-1", null),
                new CheckCases.Request("PROPFIND", "/rest/api/2/issue/JRA-1", null),
                new CheckCases.Request("TRACE", "/rest/api/2/issue/%00", null),
                new CheckCases.Request("TRACE", "/rest/../../x", null),
                new CheckCases.Request("TRACE", "/rest/%2e%2e/%2e%2e/x", null),
                new CheckCases.Request("TRACE", "/rest/api/2/filter/%zz", null),
                new CheckCases.Request("TRACE", "/rest/api/2/issue/%C3", null),
                new CheckCases.Request("GET", "/rest/pat/latest/tokens", null),
                new CheckCases.Request("POST", "/rest/pat/latest/tokens", "{\"name\":\"x\"}"),
                new CheckCases.Request("GET", "/other/x", null),
                new CheckCases.Request("GET", "/rest/api/2/issue/JRA-1?token=" + SECRET, null),
                new CheckCases.Request("GET", "/rest/api/2/issue/JRA-1?token=" + SECRET.replace("_", "%5F"), null),
                new CheckCases.Request("GET", "/rest/api/2/issue/JRA-1", null),
                new CheckCases.Request("POST", "/rest/api/2/filter", "{\"editable\":false,\"favourite\":false}"),
                new CheckCases.Request("POST", "/rest/api/2/filter", "{\"editable\":false,\"favourite\":true}"),
                new CheckCases.Request("GET", "/rest/api/2/search?jql=" + "a".repeat(16_400), null),
                new CheckCases.Request("TRACE", "/rest/api/2/search?jql=" + "a".repeat(16_400), null),
                new CheckCases.Request(
                        "GET", "/rest/api/2/search?dateTo=2018-12-01" + "&dateTo=2018-12-01".repeat(1000), null));
        Set<Integer> all = new HashSet<>();
        for (int r = 0; r < requests.size(); r++) {
            all.add(r);
        }
        List<String> disagreements = new ArrayList<>();
        for (String limits : List.of(
                "",
                ".*",
                "[TRACE|GET|POST].*",
                ".*/rest/api/2/search[QueryParam::dateTo==2018-12-01]",
                // and one the body decides, as a control that the dry runs read the body at all
                ".*/rest/api/2/filter[JsonData::editable==false][JsonData::favourite==false]")) {
            for (Verdict verdict : compare("limits '" + limits + "'", limits, requests, all)) {
                verdict.disagreement().ifPresent(disagreements::add);
            }
        }
        assertThat(disagreements)
                .as("dry runs that did not predict the gateway")
                .isEmpty();
    }

    /**
     * The gateway refuses (400) a request whose query has more parameters than Jira's Tomcat reads
     * when the rule that allows it judges query parameters, and judges it by the limits alone
     * otherwise; the dry runs must say the same, just under, at and just over that count.
     */
    @Test
    void moreQueryParametersThanJiraReadsAreRefusedByTheDryRunsToo() throws Exception {
        String filters = "/rest/extender/1.0/filter/user/admin?";
        List<CheckCases.Request> requests = new ArrayList<>();
        for (int parameters : List.of(999, 1000, 1001, 1500)) {
            requests.add(
                    new CheckCases.Request("GET", filters + "permissions=true" + "&p=1".repeat(parameters - 1), null));
            requests.add(
                    new CheckCases.Request("GET", filters + "permissions=false" + "&p=1".repeat(parameters - 1), null));
            requests.add(new CheckCases.Request("GET", filters + "&".repeat(parameters - 1), null));
        }
        Set<Integer> all = new HashSet<>();
        for (int r = 0; r < requests.size(); r++) {
            all.add(r);
        }
        List<String> disagreements = new ArrayList<>();
        Map<String, Integer> outcomes = new HashMap<>();
        for (String limits : List.of(
                "",
                ".*/rest/extender/.*",
                ".*/rest/extender/1.0/filter/user/.*[QueryParam::permissions==true]",
                ".*/rest/extender/1.0/filter/user/.*[QueryParam::x==.*]\n.*")) {
            for (Verdict verdict : compare("limits '" + limits + "'", limits, requests, all)) {
                outcomes.merge(coarse(verdict.gateway()), 1, Integer::sum);
                verdict.disagreement().ifPresent(disagreements::add);
            }
        }
        assertThat(disagreements)
                .as("dry runs that did not predict the gateway")
                .isEmpty();
        assertThat(outcomes.keySet()).as(outcomes.toString()).contains("forwarded", "denied", "rejected 400");
    }

    /** One request's outcome at the gateway, at the check API and, when asked, at the command line. */
    private record Verdict(String context, CheckCases.Request request, String gateway, Answer api, Answer cli) {
        Optional<String> disagreement() {
            if (gateway.equals(api.outcome()) && (cli == null || (cli.outcome().equals(gateway) && cli.sameAs(api)))) {
                return Optional.empty();
            }
            return Optional.of(context + ":\n" + "request " + request + "\n  gateway: " + gateway + "\n  check:   "
                    + api + (cli == null ? "" : "\n  cli:     " + cli));
        }
    }

    /** A dry run's answer: its outcome, as {@link #gatewayOutcome} names the gateway's, and its JSON. */
    private record Answer(String outcome, JsonNode json) {
        static Answer of(JsonNode json) {
            String outcome = json.path("rejected").asBoolean()
                    ? "rejected " + json.get("status").asInt()
                    : json.get("allowed").asBoolean()
                            ? "forwarded: " + ruleOrNone(json.at("/rule/text").asText(null))
                            : "denied: " + json.get("reason").asText();
            return new Answer(outcome, json);
        }

        static Answer failed(String why) {
            return new Answer(why, null);
        }

        /**
         * The same JSON, word for word: what {@code --json} prints is what the API answers. Only a
         * path the gateway does not serve is explained differently: offline, by its defaults.
         */
        boolean sameAs(Answer other) {
            if (json == null || other.json == null) {
                return false;
            }
            if (outcome.equals("rejected 404")) {
                return withoutWhy(json).equals(withoutWhy(other.json));
            }
            return json.equals(other.json);
        }

        private static JsonNode withoutWhy(JsonNode json) {
            ObjectNode copy = json.deepCopy();
            copy.remove(List.of("reason", "explanation"));
            return copy;
        }

        @Override
        public String toString() {
            return outcome + (json == null ? "" : " " + json);
        }
    }

    /**
     * Sends {@code requests} through the gateway with a new token holding {@code limits}, and asks
     * the check API (and the command line, for the requests numbered in {@code viaCli}) about each;
     * none when the API refuses the limits (they never reach a token; the parser has tests of its own).
     */
    private static List<Verdict> compare(
            String context, String limits, List<CheckCases.Request> requests, Set<Integer> viaCli) throws IOException {
        Reply created = admin.post("/tokens", Map.of("name", context, "user", "admin", "limits", limits));
        if (created.status() == 400) {
            return List.of();
        }
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String tokenId = created.json().get("id").asText();
        String auth = GatewayFixture.basic("admin", created.json().get("token").asText());
        List<Sent> sent = new ArrayList<>();
        for (CheckCases.Request request : requests) {
            gw.jira.clearReceived();
            Sent one = send(request, auth);
            sent.add(new Sent(one.status() + (gw.jira.received().isEmpty() ? "" : " forwarded"), one.requestId()));
        }
        Map<String, AuditEvent> audit = gw.auditEvents().stream()
                .filter(e -> e.requestId() != null)
                .collect(Collectors.toMap(AuditEvent::requestId, Function.identity(), (a, b) -> a));
        List<Verdict> verdicts = new ArrayList<>();
        for (int r = 0; r < requests.size(); r++) {
            CheckCases.Request request = requests.get(r);
            String status = sent.get(r).status();
            String id = sent.get(r).requestId();
            boolean decided = status.endsWith(" forwarded") || status.equals("403");
            // A record is written as its request completes, which may be just after the answer.
            AuditEvent event = id == null
                    ? null
                    : audit.containsKey(id) || !decided
                            ? audit.get(id)
                            : gw.audited(id).orElse(null);
            verdicts.add(new Verdict(
                    context + ":\n" + limits,
                    request,
                    gatewayOutcome(status, event),
                    apiAnswer(tokenId, request),
                    viaCli.contains(r) ? cliAnswer(limits, request) : null));
        }
        return verdicts;
    }

    /** What the gateway did, from its status, whether the sample Jira saw it, and the audit record. */
    private static String gatewayOutcome(String status, AuditEvent event) {
        if (status.endsWith(" forwarded")) {
            return "forwarded: " + (event == null ? "(no audit record)" : ruleOrNone(event.matchedRule()));
        }
        if (status.equals("403")) {
            return "denied: " + (event == null ? "(no audit record)" : event.reason());
        }
        return "rejected " + status;
    }

    private static Answer apiAnswer(String tokenId, CheckCases.Request request) {
        Map<String, Object> question = new HashMap<>();
        question.put("tokenId", tokenId);
        question.put("headers", request.headers());
        question.put("method", request.method());
        question.put("url", PUBLIC_URL + request.target());
        if (request.body() != null) {
            question.put("body", request.body());
        }
        Reply reply = admin.post("/check", question);
        return reply.status() == 200 ? Answer.of(reply.json()) : Answer.failed("check answered " + reply);
    }

    /** {@code tokengate check --json}'s answer, whose exit code must say the same: 0 allowed, 1 not. */
    private static Answer cliAnswer(String limits, CheckCases.Request request) {
        List<String> args = new ArrayList<>(List.of(
                "check",
                "--json",
                "--limits-text",
                limits,
                "--method",
                request.method(),
                "--url",
                PUBLIC_URL + request.target()));
        for (String header : request.headers()) {
            args.addAll(List.of("--header", header));
        }
        if (request.body() != null) {
            args.addAll(List.of("--body-text", request.body()));
        }
        StringWriter out = new StringWriter();
        var commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(out));
        int exit = commandLine.execute(args.toArray(String[]::new));
        if (exit != 0 && exit != 1) {
            return Answer.failed("exit " + exit + ": " + out);
        }
        Answer answer;
        try {
            answer = Answer.of(JSON.readTree(out.toString()));
        } catch (IOException e) {
            return Answer.failed("exit " + exit + ", not JSON: " + out);
        }
        return answer.json().get("allowed").asBoolean() == (exit == 0)
                ? answer
                : Answer.failed("exit " + exit + " for " + answer);
    }

    /** No limits allow every request by no rule: the audit says null, the check a null rule. */
    private static String ruleOrNone(String rule) {
        return rule == null ? "(no rule: no limits)" : rule;
    }

    private static String coarse(String outcome) {
        return outcome.replaceAll(":.*", "");
    }

    /** The status the gateway answered (and, in {@link #compare}, whether the sample Jira saw it). */
    private record Sent(String status, String requestId) {}

    /** Sends the request as bytes on the wire (UTF-8 where the target is not ASCII), on a fresh connection. */
    private static Sent send(CheckCases.Request request, String auth) throws IOException {
        byte[] body = request.body() == null ? new byte[0] : request.body().getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
                .append(request.method())
                .append(' ')
                .append(request.target())
                .append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\nAuthorization: ")
                .append(auth)
                .append("\r\n");
        for (String header : request.headers()) {
            head.append(header).append("\r\n");
        }
        boolean typed = request.headers().stream().anyMatch(h -> h.regionMatches(true, 0, "Content-Type:", 0, 13));
        if (request.body() != null && !typed) {
            head.append("Content-Type: application/json\r\n");
        }
        if (request.body() != null
                || !request.method().equals("GET") && !request.method().equals("HEAD")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket("127.0.0.1", gw.server.dataUri().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(response.substring(9, 12));
            String requestId = null;
            for (String line : response.split("\r\n")) {
                if (line.isEmpty()) {
                    break;
                }
                if (line.regionMatches(true, 0, "X-Request-Id:", 0, 13)) {
                    requestId = line.substring(13).strip();
                }
            }
            return new Sent(Integer.toString(status), requestId);
        }
    }
}
