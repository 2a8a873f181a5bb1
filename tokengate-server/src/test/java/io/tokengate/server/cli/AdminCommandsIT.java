package io.tokengate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.token.CreatedToken;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.TestCertificates;
import io.tokengate.server.users.OperatorIdentity;
import io.tokengate.store.UserRole;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tokengate token|audit|user|db|config|throttle} as an administrator's shell runs them:
 * offline on a home directory, and against a running server with {@code --server}.
 *
 * <p>Commands run in this JVM ({@link #run}), each in a {@link Shell} of its own, as {@link
 * Main#main} runs them in the process's: the exit code is what {@code execute} returns. What only
 * a process of its own shows runs the jar ({@link #process}): a home held by a server, which
 * another process is refused (within one JVM, H2 would share the open database instead); {@code
 * serve}, which sets up logging for the JVM; what a one-shot command logs to standard error; and
 * the process's own environment, standard input and output reaching a command.
 */
class AdminCommandsIT {
    private static final Path JAR = Path.of("target", "tokengate.jar");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPERATOR = "cli/" + System.getProperty("user.name");

    private record Result(int exit, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    /**
     * {@code tokengate ARGS} in this JVM, with {@code env} as its whole environment and {@code
     * stdin} (null: nothing) as its standard input.
     */
    private static Result run(Map<String, String> env, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        InputStream in = new ByteArrayInputStream(stdin == null ? new byte[0] : stdin.getBytes(StandardCharsets.UTF_8));
        CommandLine command = Main.commandLine(new Shell(env, in, out));
        PrintWriter text = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        command.setOut(text);
        command.setErr(new PrintWriter(err, true));
        int exit = command.execute(args);
        text.flush();
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString());
    }

    /**
     * {@code java -jar target/tokengate.jar ARGS}, with no {@code TOKENGATE_} variables but those of
     * {@code env}, and {@code stdin} (null: nothing) on its standard input.
     */
    private static Result process(Map<String, String> env, String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // A JVM that runs for a second: C1 only and the serial collector, a third
                // less CPU in starting it, on machines that run the build on two cores.
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-jar",
                JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("TOKENGATE_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), out, err);
    }

    private static Result offline(Path home, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--home", home.toString()));
        return run(Map.of(), null, all.toArray(String[]::new));
    }

    @Test
    void aUsersGroupsAreSetOnAddAndReplacedByEdit(@TempDir Path home) throws Exception {
        assertThat(offline(home, "user", "list").out())
                .isEqualTo("No local users yet: 'tokengate user add' adds one.\n");
        Result added = run(
                Map.of(),
                "ci-bot-password\n",
                "user",
                "add",
                "ci-bot",
                "--group",
                "jira-runas,ci",
                "--group",
                "deploy",
                "--password-stdin",
                "--home",
                home.toString());
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(offline(home, "user", "list").out()).containsPattern("ci-bot +user +- +ci,deploy,jira-runas ");

        Result edited = offline(home, "user", "edit", "ci-bot", "--groups", "Deploy", "--role", "admin");
        assertThat(edited.exit()).as(edited.err()).isZero();
        assertThat(edited.out()).isEqualTo("edited ci-bot: admin, groups Deploy\n");
        assertThat(offline(home, "user", "edit", "ci-bot", "--groups", "", "--json")
                        .json()
                        .get("groups"))
                .isEmpty();

        Result refused = offline(home, "user", "edit", "ci-bot", "--groups", "ops\tteam");
        assertThat(refused.exit()).isEqualTo(Main.USAGE);
        assertThat(refused.err()).startsWith("tokengate: --groups: 'ops\\u0009team' is not a group name");
        assertThat(offline(home, "user", "edit", "ci-bot").exit())
                .as("nothing to change")
                .isEqualTo(Main.USAGE);
        assertThat(offline(home, "user", "edit", "nobody", "--role", "user").exit())
                .isEqualTo(AdminCommand.REFUSED);

        Result demoted = offline(home, "user", "edit", "ci-bot", "--role", "user");
        assertThat(demoted.exit()).as("ci-bot is the only admin").isEqualTo(AdminCommand.REFUSED);
        assertThat(demoted.err())
                .isEqualTo("tokengate: ci-bot is the last admin:"
                        + " make another user an admin before you make them a user.\n");
        Result removed = offline(home, "user", "remove", "ci-bot");
        assertThat(removed.exit()).isEqualTo(AdminCommand.REFUSED);
        assertThat(removed.err())
                .isEqualTo("tokengate: ci-bot is the last admin: make another user an admin before you remove them.\n");
        assertThat(offline(home, "user", "list").out()).containsPattern("ci-bot +admin ");
        assertThat(offline(home, "audit", "list", "--kind", "USER_EDIT", "--json")
                        .json())
                .extracting(e -> e.get("decision").asText())
                .containsExactly("DENY", "DENY", "DENY", "ALLOW", "ALLOW");
        assertThat(offline(home, "audit", "list", "--kind", "USER_REMOVE", "--json")
                        .json())
                .extracting(e -> e.get("decision").asText())
                .containsExactly("DENY");
    }

    /**
     * A forgotten password is set offline on the home, and root's own on a running server (staff
     * left): under {@code user add}'s rules, audited without the password, the old one dead at once.
     */
    @Test
    void aPasswordIsSetOfflineAndOnARunningServer(@TempDir Path home) throws Exception {
        assertThat(withStdin("root-password-1", "user", "add", "root", "--admin", "--password-stdin", "--home", home)
                        .exit())
                .isZero();
        assertThat(withStdin("alice-password-1", "user", "add", "alice", "--password-stdin", "--home", home)
                        .exit())
                .isZero();

        Result set = withStdin("alice-password-2", "user", "passwd", "alice", "--password-stdin", "--home", home);
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(set.out()).isEqualTo("set the password of alice; their sessions ended\n");
        Result tooShort = withStdin("short", "user", "passwd", "alice", "--password-stdin", "--home", home);
        assertThat(tooShort.exit()).isEqualTo(AdminCommand.REFUSED);
        assertThat(tooShort.err())
                .as("read from standard input, so no option is named, and the field once")
                .isEqualTo("tokengate: password: must be at least 8 characters long\n");
        assertThat(withStdin("nobody-password", "user", "passwd", "nobody", "--password-stdin", "--home", home)
                        .err())
                .isEqualTo("tokengate: No local user nobody.\n");
        Result audited = offline(home, "audit", "list", "--kind", "USER_PASSWORD", "--json");
        assertThat(audited.json())
                .extracting(e -> e.get("decision").asText() + " "
                        + e.get("effectiveUser").asText())
                .containsExactly("DENY nobody", "DENY alice", "ALLOW alice");
        assertThat(audited.out()).doesNotContain("alice-password").doesNotContain("nobody-password");

        try (GatewayFixture gw = GatewayFixture.start(home, Map.of(), GatewayFixture.headerUpstream())) {
            assertThat(gw.server.localUsers().authenticate("alice", "alice-password-2".toCharArray()))
                    .isPresent();
            assertThat(gw.server.localUsers().authenticate("alice", "alice-password-1".toCharArray()))
                    .isEmpty();
            String server = gw.server.adminUri().toString();
            Map<String, String> old = Map.of("TOKENGATE_ADMIN_PASSWORD", "root-password-1");
            Result remote = run(
                    old,
                    "root-password-2\n",
                    "user",
                    "passwd",
                    "root",
                    "--password-stdin",
                    "--server",
                    server,
                    "--login",
                    "root");
            assertThat(remote.exit()).as(remote.err()).isZero();
            assertThat(tokenList(old, server).exit()).as("the old password").isEqualTo(AdminCommand.REFUSED);
            assertThat(tokenList(Map.of("TOKENGATE_ADMIN_PASSWORD", "root-password-2"), server)
                            .exit())
                    .isZero();
        }
    }

    /**
     * Removing a user leaves their tokens active unless told otherwise; the output says how many
     * stay, and how to revoke them, which works after the user is gone.
     */
    @Test
    void removingAUserSaysWhatBecomesOfTheirTokens(@TempDir Path home) throws Exception {
        withStdin("root-password-1", "user", "add", "root", "--admin", "--password-stdin", "--home", home);
        withStdin(
                "alice-password-1",
                "user",
                "add",
                "alice",
                "--email",
                "alice@example.com",
                "--password-stdin",
                "--home",
                home);
        withStdin("bob-password-1", "user", "add", "bob", "--password-stdin", "--home", home);
        String alices = tokenFor(home, "alice");
        String byEmail = tokenFor(home, "alice@example.com");
        String bobs = tokenFor(home, "bob");

        Result removed = offline(home, "user", "remove", "alice");
        assertThat(removed.exit()).as(removed.err()).isZero();
        assertThat(removed.out())
                .isEqualTo(
                        "removed alice; 2 active tokens bound to them stay active: revoke them with"
                                + " `tokengate user revoke-tokens alice` and `tokengate user revoke-tokens alice@example.com`\n");
        assertThat(offline(home, "user", "revoke-tokens", "alice").out())
                .isEqualTo("revoked " + alices + " (alice's)\nrevoked 1 active token bound to alice\n");
        assertThat(offline(home, "user", "revoke-tokens", "alice@example.com").out())
                .isEqualTo("revoked " + byEmail + " (alice@example.com's)\n"
                        + "revoked 1 active token bound to alice@example.com\n");

        Result withTokens = offline(home, "user", "remove", "bob", "--revoke-tokens");
        assertThat(withTokens.exit()).as(withTokens.err()).isZero();
        assertThat(withTokens.out()).isEqualTo("removed bob; revoked 1 active token bound to them\n");
        assertThat(offline(home, "token", "list", "--json").json())
                .extracting(t -> t.get("id").asText() + " " + t.get("status").asText())
                .containsExactlyInAnyOrder(alices + " revoked", byEmail + " revoked", bobs + " revoked");
        assertThat(offline(home, "audit", "list", "--kind", "TOKEN_REVOKE", "--json")
                        .json())
                .extracting(
                        e -> e.get("tokenId").asText() + " " + e.get("decision").asText())
                .containsExactlyInAnyOrder(alices + " ALLOW", byEmail + " ALLOW", bobs + " ALLOW");
        assertThat(offline(home, "user", "remove", "--help").out()).contains("--revoke-tokens");
    }

    /** {@code ARGS} with {@code line} on standard input; a {@code Path} argument as its string. */
    private static Result withStdin(String line, Object... args) throws Exception {
        return run(
                Map.of(),
                line + "\n",
                java.util.Arrays.stream(args).map(Object::toString).toArray(String[]::new));
    }

    /** Creates a token named {@code USER's}, bound to {@code user}, offline; its id. */
    private static String tokenFor(Path home, String user) throws Exception {
        Result created = offline(home, "token", "create", "--name", user + "'s", "--user", user, "--json");
        assertThat(created.exit()).as(created.err()).isZero();
        return created.json().get("id").asText();
    }

    @Test
    void offlineOnAHomeDirectoryTheWholeLifecycleIsAuditedAndServedLater(@TempDir Path home) throws Exception {
        Result admin = process(
                Map.of(),
                "first-admin-password\n",
                "user",
                "add",
                "root",
                "--admin",
                "--email",
                "root@example.com",
                "--password-stdin",
                "--home",
                home.toString());
        assertThat(admin.exit()).as(admin.err()).isZero();
        assertThat(admin.out()).contains("added admin root");
        assertThat(admin.err()).as("no log noise from one-shot commands").doesNotContain("INFO");

        Result created = offline(
                home,
                "token",
                "create",
                "--name",
                "CI reads JRA",
                "--user",
                "alice",
                "--days",
                "30",
                "--limits",
                ".*/rest/api/2/issue/JRA.*",
                "--rate-limit",
                "600/Minute",
                "--json");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.json().get("rateLimit").asText()).isEqualTo("600/min");
        String id = created.json().get("id").asText();
        String firstSecret = created.json().get("token").asText();
        assertThat(created.json().get("createdBy").asText()).isEqualTo(OPERATOR);

        Result invalid = offline(home, "token", "create", "--name", "x", "--user", "bob", "--limits", "[pots].*");
        assertThat(invalid.exit()).isEqualTo(Main.USAGE);
        assertThat(invalid.err())
                .isEqualTo("tokengate: --limits: line 1, column 2: unknown HTTP method 'pots' (did you mean POST?)\n");
        assertThat(offline(home, "token", "create", "--name", "x").exit())
                .as("neither --user nor --unbound")
                .isEqualTo(Main.USAGE);

        Result listed = offline(home, "token", "list", "--json");
        assertThat(listed.json()).extracting(t -> t.get("id").asText()).containsExactly(id);
        assertThat(offline(home, "token", "show", id).out())
                .contains("CI reads JRA")
                .contains("alice")
                .contains("rate limit   600/min");
        Result badRate = offline(home, "token", "edit", id, "--rate-limit", "600");
        assertThat(badRate.exit()).isEqualTo(Main.USAGE);
        assertThat(badRate.err()).startsWith("tokengate: --rate-limit: '600' has no '/'");
        assertThat(offline(home, "token", "edit", id, "--rate-limit", "none").out())
                .contains("rate limit   none");
        Result edited = offline(home, "token", "edit", id, "--limits", ".*/rest/api/2/issue/(JRA|ABC).*", "--json");
        assertThat(edited.json().get("limits").asText()).isEqualTo(".*/rest/api/2/issue/(JRA|ABC).*");

        // A script's empty variable, or a limits file with no rules in it, widens nothing: no
        // limits and any address are said on purpose.
        Path commentsOnly = Files.writeString(home.resolve("empty.limits"), "# CI's rules\n\n");
        Result blankLimits = offline(home, "token", "edit", id, "--limits", " ");
        assertThat(blankLimits.exit()).isEqualTo(Main.USAGE);
        assertThat(blankLimits.err())
                .isEqualTo("tokengate: --limits: no rules in it; give rules, or --no-limits for a token that may"
                        + " call every endpoint\n");
        assertThat(offline(home, "token", "edit", id, "--limits-file", commentsOnly.toString())
                        .err())
                .startsWith("tokengate: --limits-file: no rules in it;");
        assertThat(offline(home, "token", "create", "--name", "y", "--user", "bob", "--limits", "")
                        .exit())
                .isEqualTo(Main.USAGE);
        assertThat(offline(home, "token", "edit", id, "--allowed-ips", "10.0.0.0/8", "--json")
                        .json()
                        .get("allowedIps"))
                .extracting(JsonNode::asText)
                .containsExactly("10.0.0.0/8");
        Result blankAddresses = offline(home, "token", "edit", id, "--allowed-ips", "");
        assertThat(blankAddresses.exit()).isEqualTo(Main.USAGE);
        assertThat(blankAddresses.err()).startsWith("tokengate: --allowed-ips: empty;");
        JsonNode unchanged = offline(home, "token", "show", id, "--json").json();
        assertThat(unchanged.get("limits").asText()).isEqualTo(".*/rest/api/2/issue/(JRA|ABC).*");
        assertThat(unchanged.get("allowedIps")).extracting(JsonNode::asText).containsExactly("10.0.0.0/8");
        assertThat(offline(home, "token", "edit", id, "--days", "5", "--json")
                        .json()
                        .get("expiresAt")
                        .isNull())
                .isFalse();
        // Tables and details are read by people: instants to the second (--json keeps them whole).
        String toTheSecond = "20\\d\\d-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";
        assertThat(offline(home, "token", "list").out()).containsPattern(id + " .* active +" + toTheSecond + " ");
        assertThat(offline(home, "token", "show", id).out())
                .containsPattern("created +" + toTheSecond + " by ")
                .containsPattern("expires +" + toTheSecond + "\\n");
        assertThat(offline(home, "token", "edit", id, "--no-expiry", "--json")
                        .json()
                        .get("expiresAt")
                        .isNull())
                .as("--no-expiry takes the expiry away")
                .isTrue();
        assertThat(offline(home, "token", "create", "--name", "z", "--user", "bob", "--no-expiry")
                        .exit())
                .as("a new token never expires unless told: create has no --no-expiry")
                .isEqualTo(Main.USAGE);
        assertThat(offline(home, "token", "create", "--help").out()).doesNotContain("--no-expiry");
        JsonNode opened = offline(home, "token", "edit", id, "--no-limits", "--any-address", "--json")
                .json();
        assertThat(opened.get("limits").asText()).isEmpty();
        assertThat(opened.get("allowedIps")).isEmpty();
        Result rotated = offline(home, "token", "rotate", id, "--json");
        String secret = rotated.json().get("token").asText();
        assertThat(secret).isNotEqualTo(firstSecret);
        String revokedId = offline(home, "token", "create", "--name", "to revoke", "--user", "alice", "--json")
                .json()
                .get("id")
                .asText();
        assertThat(offline(home, "token", "revoke", revokedId).out()).startsWith("revoked " + revokedId);
        Result again = offline(home, "token", "revoke", revokedId);
        assertThat(again.exit()).as("revoking again is no error").isZero();
        String revokedAt = offline(home, "token", "show", revokedId)
                .out()
                .lines()
                .filter(line -> line.startsWith("revoked "))
                .findFirst()
                .orElseThrow()
                .substring("revoked".length())
                .strip();
        assertThat(again.out())
                .as("but the user is told they did not revoke it, and when it was")
                .isEqualTo(revokedId + " (to revoke) was already revoked at " + revokedAt + "; nothing changed\n");

        Result audit = offline(home, "audit", "list", "--json");
        assertThat(audit.json())
                .extracting(e -> e.get("kind").asText() + " "
                        + e.get("decision").asText() + " " + e.get("actor").asText())
                .contains(
                        "USER_ADD ALLOW " + OPERATOR,
                        "TOKEN_CREATE ALLOW " + OPERATOR,
                        "TOKEN_CREATE DENY " + OPERATOR,
                        "TOKEN_EDIT ALLOW " + OPERATOR,
                        "TOKEN_ROTATE ALLOW " + OPERATOR,
                        "TOKEN_REVOKE ALLOW " + OPERATOR);
        Result csv = process(
                Map.of(),
                null,
                "audit",
                "export",
                "--format",
                "csv",
                "--kind",
                "TOKEN_ROTATE",
                "--home",
                home.toString());
        assertThat(csv.out().lines().toList()).hasSize(2).first().asString().startsWith("time,requestId,");
        assertThat(csv.out()).doesNotContain(secret).doesNotContain(firstSecret);
        // --json, which every admin command takes, exports JSON Lines; with --format csv it disagrees.
        Result jsonLines = offline(home, "audit", "export", "--json", "--kind", "TOKEN_ROTATE");
        assertThat(jsonLines.exit()).as(jsonLines.err()).isZero();
        assertThat(jsonLines.out().lines().map(line -> {
                    try {
                        return JSON.readTree(line).get("kind").asText();
                    } catch (IOException e) {
                        throw new UncheckedIOException(line, e);
                    }
                }))
                .containsExactly("TOKEN_ROTATE");
        Result disagreeing = offline(home, "audit", "export", "--json", "--format", "csv");
        assertThat(disagreeing.exit()).isEqualTo(Main.USAGE);
        assertThat(disagreeing.err()).startsWith("tokengate: --json exports JSON Lines: leave out --format csv");

        try (GatewayFixture gw = GatewayFixture.start(home, Map.of(), GatewayFixture.headerUpstream())) {
            assertThat(gw.get("/rest/api/2/issue/ABC-1", GatewayFixture.basic("alice", secret))
                            .statusCode())
                    .isEqualTo(200);
            assertThat(gw.get("/rest/api/2/issue/ABC-1", GatewayFixture.basic("alice", firstSecret))
                            .statusCode())
                    .as("rotated away")
                    .isEqualTo(401);
            long asked = System.nanoTime();
            Result held = process(
                    Map.of("TOKENGATE_DB_CONNECTION_TIMEOUT_MS", "60000"),
                    null,
                    "token",
                    "list",
                    "--home",
                    home.toString());
            assertThat(Duration.ofNanos(System.nanoTime() - asked))
                    .as("told at once, not after the connection timeout the pool would wait")
                    .isLessThan(Duration.ofSeconds(30));
            assertThat(held.exit()).isEqualTo(AdminCommand.UNAVAILABLE);
            assertThat(held.err())
                    .contains("held by a running tokengate server")
                    .containsPattern("talk to it with --server http://127\\.0\\.0\\.1:\\d+ --login USER");
            Result checked = process(
                    Map.of(), null, "config", "check", "--home", home.toString(), "--upstream", "http://127.0.0.1:9");
            assertThat(checked.out())
                    .as("config check on a home a server holds checks the settings, before a restart")
                    .contains("not checked: the server running on this home holds it")
                    .doesNotContain("problem: database");
            Result second = process(
                    Map.of(),
                    null,
                    "serve",
                    "--home",
                    home.toString(),
                    "--port",
                    "0",
                    "--admin-port",
                    "0",
                    "--upstream",
                    "http://127.0.0.1:9");
            assertThat(second.exit()).isEqualTo(ServeCommand.START_FAILED);
            assertThat(second.err()).contains("is held by another process").contains("stop it first");
        }
    }

    @Test
    void againstARunningServer(@TempDir Path home) throws Exception {
        try (GatewayFixture gw = GatewayFixture.start(home, Map.of(), GatewayFixture.headerUpstream())) {
            gw.server.localUsers().add("root", null, null, UserRole.ADMIN, "root-password-1".toCharArray());
            Map<String, String> env = Map.of("TOKENGATE_ADMIN_PASSWORD", "root-password-1");
            String server = gw.server.adminUri().toString();

            createsAWorkingToken(gw, env, "remote", "--server", server, "--login", "root");
            String doomed = gw.createToken(TokenSpec.bound("doomed", "bob", "root"))
                    .token()
                    .id()
                    .value();
            String[] revoke = {"token", "revoke", doomed, "--server", server, "--login", "root"};
            assertThat(run(env, null, revoke).out()).isEqualTo("revoked " + doomed + " (doomed)\n");
            Result again = run(env, null, revoke);
            assertThat(again.exit()).isZero();
            assertThat(again.out())
                    .as("revoked before: not by this call")
                    .startsWith(doomed + " (doomed) was already revoked at ")
                    .endsWith("; nothing changed\n");

            Result audit = run(
                    env,
                    null,
                    "audit",
                    "list",
                    "--server",
                    server,
                    "--login",
                    "root",
                    "--user",
                    "bob",
                    "--kind",
                    "REQUEST",
                    "--json");
            assertThat(audit.json())
                    .anySatisfy(e -> assertThat(e.get("path").asText()).isEqualTo("/rest/api/2/issue/AAA-1"));

            HttpResponse<String> refused =
                    gw.get("/rest/api/2/issue/AAA-2", GatewayFixture.basic("mallory", "tgk_wrong"));
            assertThat(refused.statusCode()).isEqualTo(401);
            assertAudited(gw, refused);
            Result listed =
                    run(env, null, "audit", "list", "--server", server, "--login", "root", "--decision", "DENY");
            assertThat(listed.out())
                    .as("a refused call's user is the Basic user it named, and where it came from")
                    .containsPattern("REQUEST +DENY +401 +mallory +127\\.0\\.0\\.1 +GET /rest/api/2/issue/AAA-2");
            assertThat(run(env, null, "audit", "list", "--server", server, "--login", "root", "--kind", "TOKEN_CREATE")
                            .out())
                    .as("an admin action's user is who acted, not whose token it made")
                    .containsPattern("TOKEN_CREATE +ALLOW +201 +root ");

            Result wrong = run(
                    Map.of("TOKENGATE_ADMIN_PASSWORD", "nope"),
                    null,
                    "token",
                    "list",
                    "--server",
                    server,
                    "--login",
                    "root");
            assertThat(wrong.exit()).isEqualTo(AdminCommand.REFUSED);
            assertThat(wrong.err()).startsWith("tokengate: ");

            Result down = run(env, null, "token", "list", "--server", "http://127.0.0.1:9", "--login", "root");
            assertThat(down.exit()).isEqualTo(AdminCommand.UNAVAILABLE);
            assertThat(down.err()).contains("cannot reach the admin API");
        }
    }

    /** The tokens about to stop working, found before the jobs that use them break. */
    @Test
    void listsTheTokensThatExpireWithinDays(@TempDir Path home) throws Exception {
        assertThat(withStdin("root-password-1", "user", "add", "root", "--admin", "--password-stdin", "--home", home)
                        .exit())
                .isZero();
        assertThat(offline(home, "token", "create", "--name", "nightly", "--user", "ci", "--days", "3")
                        .exit())
                .isZero();
        assertThat(offline(home, "token", "create", "--name", "release", "--user", "ci", "--days", "60")
                        .exit())
                .isZero();

        Result soon = offline(home, "token", "list", "--expires-within", "7");
        assertThat(soon.exit()).as(soon.err()).isZero();
        assertThat(soon.out()).contains("nightly").doesNotContain("release");
        assertThat(offline(home, "token", "list", "--unused-for", "1").out())
                .as("made just now: not stale yet; an empty table says so")
                .isEqualTo("No tokens match.\n");
        assertThat(offline(home, "audit", "list", "--kind", "TOKEN_REVOKE").out())
                .isEqualTo("No audit records match.\n");
        Result negative = offline(home, "token", "list", "--expires-within", "-1");
        assertThat(negative.exit()).isEqualTo(Main.USAGE);
        assertThat(negative.err()).isEqualTo("tokengate: --expires-within: DAYS must be from 0 to 36500, got -1\n");
    }

    /**
     * A CI runner's address throttled by one job's revoked token: {@code throttle list} shows it,
     * {@code throttle lift} ends it (audited), and the other jobs there work again. Throttles are
     * a running server's memory: offline, the commands say so.
     */
    /** The gateway's port given for the admin plane's: the 404 says where the command went wrong. */
    @Test
    void aCommandSentToTheGatewaysPortSaysItIsNotTheAdminPlane(@TempDir Path home) throws Exception {
        try (GatewayFixture gw = GatewayFixture.start(home, Map.of(), GatewayFixture.headerUpstream())) {
            gw.server.localUsers().add("root", null, null, UserRole.ADMIN, "root-password-1".toCharArray());
            Map<String, String> env = Map.of("TOKENGATE_ADMIN_PASSWORD", "root-password-1");
            String gateway = gw.server.dataUri().toString();
            Result wrong = run(env, null, "token", "list", "--server", gateway, "--login", "root");
            assertThat(wrong.exit()).isEqualTo(AdminCommand.REFUSED);
            assertThat(wrong.err())
                    .contains("(" + gateway + " is not tokengate's admin plane: --server takes the admin plane's URL");
            Result right = run(
                    env,
                    null,
                    "token",
                    "show",
                    "tok_missing",
                    "--server",
                    gw.server.adminUri().toString(),
                    "--login",
                    "root");
            assertThat(right.exit()).as(right.err()).isEqualTo(AdminCommand.REFUSED);
            assertThat(right.err()).as("a 404 of the admin plane itself").doesNotContain("admin plane");
        }
    }

    @Test
    void aThrottleIsListedAndLiftedOnARunningServer(@TempDir Path home) throws Exception {
        try (GatewayFixture gw =
                GatewayFixture.start(home, Map.of("login.max.failures", "3"), GatewayFixture.headerUpstream())) {
            gw.server.localUsers().add("root", null, null, UserRole.ADMIN, "root-password-1".toCharArray());
            Map<String, String> env = Map.of("TOKENGATE_ADMIN_PASSWORD", "root-password-1");
            String server = gw.server.adminUri().toString();
            String working = GatewayFixture.basic(
                    "bob",
                    gw.createToken(TokenSpec.bound("other job", "bob", "root"))
                            .secret()
                            .reveal());
            for (int i = 0; i < 3; i++) {
                assertThat(gw.get("/rest/api/2/issue/AAA-1", GatewayFixture.basic("bob", "revoked"))
                                .statusCode())
                        .isEqualTo(401);
            }
            assertThat(gw.get("/rest/api/2/issue/AAA-1", working).statusCode()).isEqualTo(429);

            Result listed = run(env, null, "throttle", "list", "--server", server, "--login", "root");
            assertThat(listed.exit()).as(listed.err()).isZero();
            assertThat(listed.out())
                    .startsWith("PLANE  ADDRESS")
                    .containsPattern(
                            "data +127\\.0\\.0\\.1 +3 +yes, \\d+ s left +20\\d\\d-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\n");
            assertThat(run(env, null, "throttle", "list", "--plane", "admin", "--server", server, "--login", "root")
                            .out())
                    .isEqualTo("no failed logins from any address now\n");

            Result refused = run(env, null, "throttle", "lift", "ci-runner", "--server", server, "--login", "root");
            assertThat(refused.exit()).as("a command-line mistake").isEqualTo(Main.USAGE);
            assertThat(refused.err()).startsWith("tokengate: ADDRESS: 'ci-runner' is not an IP address");
            assertThat(gw.get("/rest/api/2/issue/AAA-1", working).statusCode()).isEqualTo(429);

            Result lifted = run(
                    env,
                    null,
                    "throttle",
                    "lift",
                    "127.0.0.1",
                    "--plane",
                    "data",
                    "--server",
                    server,
                    "--login",
                    "root");
            assertThat(lifted.exit()).as(lifted.err()).isZero();
            assertThat(lifted.out())
                    .isEqualTo("Lifted 127.0.0.1: data plane: 3 failed logins forgotten, throttle lifted."
                            + " Its next login is checked as any other.\n");
            assertThat(gw.get("/rest/api/2/issue/AAA-1", working).statusCode()).isEqualTo(200);
            Result again = run(env, null, "throttle", "lift", "127.0.0.1", "--server", server, "--login", "root");
            assertThat(again.exit()).as("nothing to lift is no failure").isZero();
            assertThat(again.out()).contains("nothing to lift");

            gw.auditEvents(); // flushes: the last lift's record is written off the request path
            Result audit = run(
                    env,
                    null,
                    "audit",
                    "list",
                    "--kind",
                    "THROTTLE_LIFTED",
                    "--server",
                    server,
                    "--login",
                    "root",
                    "--json");
            assertThat(audit.json())
                    .extracting(e ->
                            e.get("decision").asText() + " " + e.get("actor").asText())
                    .containsExactly("ALLOW root", "ALLOW root", "DENY root");

            Result offline = offline(home, "throttle", "lift", "127.0.0.1");
            assertThat(offline.exit()).isEqualTo(Main.USAGE);
            assertThat(offline.err())
                    .startsWith("tokengate: login throttles are held in a running server's memory, not in the home:"
                            + " name its admin plane with --server URL");
        }
    }

    /** What a shell script gets wrong: one line saying what, the exit code for it, nothing changed. */
    @Test
    void badInputIsOneLineWithItsExitCodeAndChangesNothing(@TempDir Path home) throws Exception {
        Path missing = home.resolve("no-such-limits.txt");
        Result noFile =
                offline(home, "token", "create", "--name", "x", "--unbound", "--limits-file", missing.toString());
        assertThat(noFile.exit()).isEqualTo(Main.USAGE);
        assertThat(noFile.err()).isEqualTo("tokengate: no such file: " + missing + "\n");
        assertThat(offline(home, "token", "list", "--json").json()).isEmpty();

        Result check = run(
                Map.of(),
                null,
                "check",
                "--limits",
                missing.toString(),
                "--method",
                "GET",
                "--url",
                "https://gw.example.com/rest/api/2/issue/A-1");
        assertThat(check.exit()).as("not 1, which says DENIED").isEqualTo(Main.USAGE);
        assertThat(check.err()).doesNotContain("\tat ");

        Path export = Files.writeString(home.resolve("precious.csv"), "precious\n");
        Result refused = offline(home, "audit", "export", "--format", "xml", "--output", export.toString());
        assertThat(refused.exit()).isEqualTo(Main.USAGE);
        assertThat(refused.err()).isEqualTo("tokengate: --format: 'xml' is not a format (expected csv, jsonl)\n");
        assertThat(Files.readString(export))
                .as("a refused export leaves the file as it was")
                .isEqualTo("precious\n");
        try (var files = Files.list(home)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
        }

        // A value the API refuses is named by the option that carried it, and is a command-line
        // mistake (64), not a refusal (1), which a script may take for "not allowed".
        Result badFrom = offline(home, "audit", "list", "--from", "yesterday");
        assertThat(badFrom.exit()).isEqualTo(Main.USAGE);
        assertThat(badFrom.err()).startsWith("tokengate: --from: 'yesterday' is not an ISO-8601 date");
        Result badAddress = offline(home, "token", "create", "--name", "x", "--unbound", "--allowed-ips", "10.0.0.300");
        assertThat(badAddress.exit()).isEqualTo(Main.USAGE);
        assertThat(badAddress.err())
                .isEqualTo("tokengate: --allowed-ips: entry 1 '10.0.0.300': 300 is not an IPv4 octet (0-255)\n");
        Result emptyAddresses = offline(home, "token", "create", "--name", "x", "--unbound", "--allowed-ips", "");
        assertThat(emptyAddresses.exit())
                .as("a script's empty variable is not 'any address'")
                .isEqualTo(Main.USAGE);
        assertThat(emptyAddresses.err()).startsWith("tokengate: --allowed-ips: empty;");
        Result separators = offline(home, "token", "create", "--name", "x", "--unbound", "--allowed-ips", ",");
        assertThat(separators.exit()).isEqualTo(Main.USAGE);
        assertThat(separators.err()).startsWith("tokengate: --allowed-ips: no address or CIDR block in ','");
        Result blankUser = offline(home, "token", "create", "--name", "x", "--user", " ");
        assertThat(blankUser.exit()).isEqualTo(Main.USAGE);
        assertThat(blankUser.err())
                .as("the command line's way to an unbound token, not the API's")
                .isEqualTo("tokengate: --user: is blank: name the user the token is for, or --unbound for an"
                        + " unbound token (admins only)\n");
        Result badDays = offline(home, "token", "create", "--name", "x", "--unbound", "--days", "-3");
        assertThat(badDays.exit()).isEqualTo(Main.USAGE);
        assertThat(badDays.err()).isEqualTo("tokengate: --days: must be from 1 to 36500, got -3\n");
        Path badLimits = Files.writeString(home.resolve("limits.txt"), "[pots].*\n");
        Result fromFile =
                offline(home, "token", "create", "--name", "x", "--unbound", "--limits-file", badLimits.toString());
        assertThat(fromFile.exit()).isEqualTo(Main.USAGE);
        assertThat(fromFile.err()).startsWith("tokengate: --limits-file: line 1, column 2: unknown HTTP method");
        Result several = offline(
                home,
                "token",
                "create",
                "--name",
                "x",
                "--unbound",
                "--days",
                "-3",
                "--allowed-ips",
                "10.0.0.300",
                "--limits-file",
                badLimits.toString());
        assertThat(several.exit()).isEqualTo(Main.USAGE);
        assertThat(several.err())
                .as("every wrong option at once, each named as it was given")
                .isEqualTo(
                        "tokengate: --days: must be from 1 to 36500, got -3\n"
                                + "tokengate: --allowed-ips: entry 1 '10.0.0.300': 300 is not an IPv4 octet (0-255)\n"
                                + "tokengate: --limits-file: line 1, column 2: unknown HTTP method 'pots' (did you mean POST?)\n");
        assertThat(offline(home, "token", "list", "--json").json()).isEmpty();

        Result down = run(
                Map.of("TOKENGATE_ADMIN_PASSWORD", "x"),
                null,
                "audit",
                "export",
                "--server",
                "http://127.0.0.1:9",
                "--login",
                "root");
        assertThat(down.exit()).isEqualTo(AdminCommand.UNAVAILABLE);
        assertThat(down.err())
                .startsWith("tokengate: cannot reach the admin API at")
                .endsWith(": connection refused\n")
                .doesNotContain("null");
        Result nowhere = run(
                Map.of("TOKENGATE_ADMIN_PASSWORD", "x"),
                null,
                "token",
                "list",
                "--server",
                "http://nosuchhost.invalid:8081",
                "--login",
                "root");
        assertThat(nowhere.exit()).isEqualTo(AdminCommand.UNAVAILABLE);
        assertThat(nowhere.err()).endsWith(": its host name does not resolve\n");
        Result noPassword = run(Map.of(), null, "token", "list", "--server", "http://127.0.0.1:9", "--login", "root");
        assertThat(noPassword.exit())
                .as("a cron job without TOKENGATE_ADMIN_PASSWORD is told to mend its call, not to retry it")
                .isEqualTo(Main.USAGE);
        assertThat(noPassword.err())
                .startsWith("tokengate: no password for root: set TOKENGATE_ADMIN_PASSWORD (no terminal to ask on)\n");
    }

    /** A port in use stops the start before anything is made in the home. */
    @Test
    void aPortInUseIsNamedWithItsSetting(@TempDir Path home) throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Result serve = process(
                    Map.of(),
                    null,
                    "serve",
                    "--home",
                    home.toString(),
                    "--port",
                    "0",
                    "--admin-port",
                    Integer.toString(taken.getLocalPort()),
                    "--upstream",
                    "http://127.0.0.1:9");
            assertThat(serve.exit()).isEqualTo(ServeCommand.START_FAILED);
            assertThat(serve.err())
                    .contains("tokengate: could not start: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                            + " for the admin plane (admin.port): Address already in use")
                    .doesNotContain("could not start: tokengate could not start");
            assertThat(home.resolve("data"))
                    .as("no database made for a server that never ran")
                    .doesNotExist();
            assertThat(home.resolve("tokengate.key")).doesNotExist();
        }
    }

    /**
     * A mistyped {@code --home} is said to be one, and left uncreated: listing an empty new home
     * would say there are no tokens. Only {@code user add}, the first step of a setup, creates one.
     */
    @Test
    void aHomeThatDoesNotExistIsNamedNotCreated(@TempDir Path parent) throws Exception {
        Path typo = parent.resolve("tokengate-hmoe");
        for (String[] command : List.of(
                new String[] {"token", "list"},
                new String[] {"audit", "list"},
                new String[] {"user", "list"},
                new String[] {"token", "revoke", "tok_AAAAAAAAAAAAAAAA"})) {
            Result result = offline(typo, command);
            assertThat(result.exit()).as(String.join(" ", command)).isEqualTo(AdminCommand.CONFIG_INVALID);
            assertThat(result.err())
                    .contains("home directory " + typo.toAbsolutePath() + " does not exist")
                    .contains("--home");
            assertThat(typo).as("not created by " + String.join(" ", command)).doesNotExist();
        }

        Path fresh = parent.resolve("new-home");
        Result added = run(
                Map.of(),
                "a-long-password-1\n",
                "user",
                "add",
                "root",
                "--admin",
                "--password-stdin",
                "--home",
                fresh.toString());
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.err()).as("said, not silent").contains(fresh + " does not exist: making a new home there");
        assertThat(offline(fresh, "user", "list", "--json").json())
                .extracting(user -> user.get("name").asText())
                .containsExactly("root");
    }

    @Test
    void everyCommandGroupHasHelpAndAVersion() throws Exception {
        for (String group : List.of("db", "config", "token", "user", "audit", "throttle")) {
            Result help = run(Map.of(), null, group, "--help");
            assertThat(help.exit()).as(group + " --help: " + help.err()).isZero();
            assertThat(help.out()).contains("Usage: tokengate " + group);
            Result version = run(Map.of(), null, group, "--version");
            assertThat(version.out()).as(group + " --version").startsWith("tokengate ");
        }
    }

    /**
     * Secure mode, once a node turned it on, is the database's: setting {@code token.secure.mode}
     * back to false does not leave it; {@code db leave-secure-mode} does, audited.
     */
    @Test
    void secureModeIsLeftOnlyOnPurpose(@TempDir Path home) throws Exception {
        Path properties = home.resolve("tokengate.properties");
        Files.writeString(properties, "token.secure.mode=true\n");
        Result first = offline(home, "token", "create", "--name", "first", "--unbound");
        assertThat(first.exit()).isZero();
        assertThat(first.out()).contains("Secret (secure mode: shown only this once, store it now):");
        Result refused = offline(home, "db", "leave-secure-mode");
        assertThat(refused.exit()).isEqualTo(AdminCommand.CONFIG_INVALID);
        assertThat(refused.err()).contains("token.secure.mode is true for this home");

        Files.writeString(properties, "token.secure.mode=false\n");
        JsonNode created = offline(home, "token", "create", "--name", "second", "--unbound", "--json")
                .json();
        Result edit = offline(home, "token", "edit", created.get("id").asText(), "--name", "renamed");
        assertThat(edit.exit()).as("still secure").isEqualTo(AdminCommand.REFUSED);
        assertThat(edit.err()).contains("secure mode");

        Result left = offline(home, "db", "leave-secure-mode");
        assertThat(left.exit()).as(left.err()).isZero();
        assertThat(left.out()).startsWith("secure mode is off for the database");
        assertThat(offline(home, "db", "leave-secure-mode").out()).startsWith("the database was not in secure mode");
        assertThat(offline(home, "token", "edit", created.get("id").asText(), "--name", "renamed")
                        .exit())
                .isZero();
        assertThat(offline(home, "token", "create", "--name", "standard", "--unbound")
                        .out())
                .contains("an admin or its user can show it again")
                .doesNotContain("shown only this once");
        assertThat(offline(home, "audit", "list", "--kind", "SETTING_CHANGE", "--json")
                        .json())
                .extracting(e -> e.get("reason").asText())
                .contains("secure mode turned off for the database")
                .anySatisfy(reason -> assertThat(reason).startsWith("secure mode turned on for the database"));
    }

    /**
     * The keystore passwords are the server's (the README gives them to {@code serve} only): the
     * offline commands, a nightly {@code db backup} among them, work without them; {@code config
     * check} still opens the keystores.
     */
    @Test
    void offlineCommandsDoNotOpenTheServersKeystores(@TempDir Path home) throws Exception {
        Files.writeString(
                home.resolve("tokengate.properties"),
                "upstream.url=https://jira.example.com\ngateway.tls.keystore=tls/gateway.p12\n"
                        + "admin.tls.keystore=tls/admin.p12\n");
        Result list = offline(home, "token", "list", "--json");
        assertThat(list.exit()).as(list.err()).isZero();
        Result backup = offline(home, "db", "backup");
        assertThat(backup.exit()).as(backup.err()).isZero();

        Result check = run(Map.of(), null, "config", "check", "--offline", "--home", home.toString());
        assertThat(check.exit()).isEqualTo(2);
        assertThat(check.out()).contains("gateway.tls.keystore").contains("admin.tls.keystore");
    }

    @Test
    void aMisspeltEnvironmentVariableIsWarnedAboutWithTheNameItResembles(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve("tokengate.properties"), "upstream.url=https://jira.example.com\n");
        Result warned = process(
                Map.of("TOKENGATE_DB_ULR", "jdbc:postgresql://db/tokengate", "TOKENGATE_HOME", home.toString()),
                null,
                "config",
                "check",
                "--offline");
        assertThat(warned.exit()).as(warned.out() + warned.err()).isZero();
        assertThat(warned.out())
                .contains("environment variable TOKENGATE_DB_ULR is not one tokengate reads (did you mean"
                        + " TOKENGATE_DB_URL?)")
                .as("the variables tokengate reads that are not settings")
                .doesNotContain("TOKENGATE_HOME is not");
    }

    @Test
    void againstAServerOverHttpsWithACertificateOfItsOwn(@TempDir Path home, @TempDir Path keys) throws Exception {
        String password = "keystore-password-1";
        Path own = TestCertificates.keytool(
                keys.resolve("admin.p12"),
                password,
                "admin",
                "CN=localhost",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2");
        Path other = TestCertificates.keytool(
                keys.resolve("other.p12"),
                password,
                "admin",
                "CN=localhost",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2");
        Path ownPem = Files.writeString(keys.resolve("admin.pem"), pem(own, password));
        Path otherPem = Files.writeString(keys.resolve("other.pem"), pem(other, password));
        Files.createDirectories(home.resolve("tls"));
        Files.copy(own, home.resolve("tls/admin.p12"));
        Map<String, String> settings =
                Map.of("admin.tls.keystore", "tls/admin.p12", "admin.tls.keystore.password", password);
        try (GatewayFixture gw = GatewayFixture.start(home, settings, GatewayFixture.headerUpstream())) {
            gw.server.localUsers().add("root", null, null, UserRole.ADMIN, "root-password-1".toCharArray());
            Map<String, String> env = Map.of("TOKENGATE_ADMIN_PASSWORD", "root-password-1");
            String server = gw.server.adminUri().toString();
            assertThat(server).startsWith("https://");

            Result untrusted = tokenList(env, server);
            assertThat(untrusted.exit()).isEqualTo(AdminCommand.UNAVAILABLE);
            assertThat(untrusted.err()).contains("TLS handshake failed").contains("--cacert FILE");

            createsAWorkingToken(
                    gw, env, "over-tls", "--server", server, "--login", "root", "--cacert", ownPem.toString());

            Result fromEnvironment = tokenList(
                    Map.of("TOKENGATE_ADMIN_PASSWORD", "root-password-1", "TOKENGATE_CACERT", ownPem.toString()),
                    server,
                    "--json");
            assertThat(fromEnvironment.exit()).as(fromEnvironment.err()).isZero();
            assertThat(fromEnvironment.json())
                    .anySatisfy(t -> assertThat(t.get("name").asText()).isEqualTo("over-tls"));

            Result anotherCertificate = tokenList(env, server, "--cacert", otherPem.toString());
            assertThat(anotherCertificate.exit()).isEqualTo(AdminCommand.UNAVAILABLE);
            assertThat(anotherCertificate.err()).contains("TLS handshake failed");

            Result missing = tokenList(
                    env, server, "--cacert", keys.resolve("missing.pem").toString());
            assertThat(missing.exit()).isEqualTo(Main.USAGE);
            assertThat(missing.err()).contains("--cacert: " + keys.resolve("missing.pem") + " is not a readable file");

            Result plain = tokenList(env, server.replace("https://", "http://"), "--cacert", ownPem.toString());
            assertThat(plain.exit()).isEqualTo(Main.USAGE);
            assertThat(plain.err()).contains("--cacert is for an https --server");
        }
    }

    /** {@code token list --server SERVER --login root}, and {@code more} options. */
    private static Result tokenList(Map<String, String> env, String server, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("token", "list", "--server", server, "--login", "root"));
        args.addAll(List.of(more));
        return run(env, null, args.toArray(String[]::new));
    }

    private static String pem(Path keystore, String password) throws Exception {
        return TestCertificates.pem(KeyStore.getInstance(keystore.toFile(), password.toCharArray()), "admin");
    }

    /** {@code token create NAME} for bob through {@code connection}; the secret it prints works on the gateway. */
    private static void createsAWorkingToken(
            GatewayFixture gw, Map<String, String> env, String name, String... connection) throws Exception {
        List<String> args = new ArrayList<>(List.of("token", "create"));
        args.addAll(List.of(connection));
        args.addAll(List.of("--name", name, "--user", "bob", "--json"));
        Result created = run(env, null, args.toArray(String[]::new));
        assertThat(created.exit()).as(created.err()).isZero();
        String secret = created.json().get("token").asText();
        HttpResponse<String> used = gw.get("/rest/api/2/issue/AAA-1", GatewayFixture.basic("bob", secret));
        assertThat(used.statusCode()).isEqualTo(200);
        assertAudited(gw, used);
    }

    /**
     * Waits for the audit record of {@code answered}: it is written when the request completes,
     * which may be just after the client has its answer, so a flush alone can miss it.
     */
    private static void assertAudited(GatewayFixture gw, HttpResponse<String> answered) {
        String requestId = answered.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(gw.audited(requestId)).as("the audit record of " + requestId).isPresent();
    }

    /** {@code db backup --server … --login root}, and {@code more} options. */
    private static Result backupOn(GatewayFixture gw, String... more) throws Exception {
        List<String> args = new ArrayList<>(
                List.of("db", "backup", "--server", gw.server.adminUri().toString(), "--login", "root"));
        args.addAll(List.of(more));
        return run(Map.of("TOKENGATE_ADMIN_PASSWORD", "root-password-1"), null, args.toArray(String[]::new));
    }

    /**
     * {@code db backup} against a running server writes a copy on the server while it serves, and
     * with {@code --keep} deletes the oldest; the home cannot be restored over while the server
     * holds it; a copy restores into another home that has the same key file, and not into one
     * without it.
     */
    @Test
    void aBackupTakenWhileServingRestoresIntoAnotherHome(@TempDir Path home, @TempDir Path other, @TempDir Path bare)
            throws Exception {
        Path restorable;
        CreatedToken revokedLater;
        try (GatewayFixture gw = GatewayFixture.start(home, Map.of(), GatewayFixture.headerUpstream())) {
            gw.server.localUsers().add("root", null, null, UserRole.ADMIN, "root-password-1".toCharArray());
            gw.createToken(TokenSpec.bound("kept in the backup", "alice", "root"));
            revokedLater = gw.createToken(TokenSpec.bound("revoked later", "alice", "root"));
            Result written = backupOn(gw, "--json");
            assertThat(written.exit()).as(written.err()).isZero();
            Path backup = Path.of(written.json().get("file").asText());
            assertThat(backup)
                    .startsWith(home.resolve("backups").toAbsolutePath())
                    .isRegularFile();
            assertThat(written.json().get("note").asText()).contains("tokengate.key");
            assertThat(gw.auditEvents()).anySatisfy(e -> {
                assertThat(e.kind()).isEqualTo(AuditKind.BACKUP);
                assertThat(e.actor()).isEqualTo("root");
                assertThat(e.reason()).startsWith("backup " + backup.getFileName());
            });

            Result nightly = backupOn(gw, "--keep", "2");
            assertThat(nightly.exit()).as(nightly.err()).isZero();
            assertThat(nightly.out()).startsWith("backup written: ").doesNotContain("removed");
            Result pruned = backupOn(gw, "--keep", "2");
            assertThat(pruned.out()).contains("removed " + backup.getFileName() + "\n");
            try (var kept = Files.list(backup.getParent())) {
                assertThat(kept).hasSize(2);
            }
            try (var kept = Files.list(backup.getParent())) {
                restorable = kept.max(Comparator.naturalOrder()).orElseThrow();
            }
            gw.server.store().tokens().revoke(revokedLater.token().id());

            Result held = process(
                    Map.of(), null, "db", "restore", restorable.toString(), "--replace", "--home", home.toString());
            assertThat(held.exit()).isEqualTo(AdminCommand.REFUSED);
            assertThat(held.err()).contains("stop the server first");
            assertThat(home)
                    .isDirectoryNotContaining(p -> p.getFileName().toString().startsWith("data-replaced-"));
        }

        Result keyless = offline(bare, "db", "restore", restorable.toString());
        assertThat(keyless.exit()).isEqualTo(AdminCommand.REFUSED);
        assertThat(keyless.err()).contains("the backup was not restored").contains("tokengate.key does not exist");
        assertThat(bare.resolve("data")).doesNotExist();

        Files.copy(home.resolve("tokengate.key"), other.resolve("tokengate.key"));
        Files.setPosixFilePermissions(other.resolve("tokengate.key"), PosixFilePermissions.fromString("rw-------"));
        Result restored = offline(other, "db", "restore", restorable.toString());
        assertThat(restored.exit()).as(restored.err()).isZero();
        assertThat(restored.out())
                .startsWith("restored " + restorable + " into "
                        + other.resolve("data").toAbsolutePath())
                .contains("\nwarning: tokens revoked, rotated or deleted since the backup work again");
        assertThat(offline(other, "token", "list").out()).contains("kept in the backup");

        Result revivingNothing = offline(home, "db", "restore", restorable.toString(), "--revive");
        assertThat(revivingNothing.exit()).isEqualTo(AdminCommand.REFUSED);
        assertThat(revivingNothing.err()).contains("--revive applies to the tokens of a database the restore replaces");

        String revoked = "token " + revokedLater.token().id() + " (revoked later) revoked since the backup, ";
        Result inPlace = offline(home, "db", "restore", restorable.toString(), "--replace");
        assertThat(inPlace.exit()).as(inPlace.err()).isZero();
        assertThat(inPlace.out()).contains("\nwarning: " + revoked + "restored revoked");
        assertThat(offline(home, "token", "list", "--status", "active").out())
                .contains("kept in the backup")
                .doesNotContain("revoked later");
        assertThat(offline(home, "audit", "list", "--kind", "TOKEN_REVOKE").out())
                .contains(OperatorIdentity.currentUserName())
                .contains("revoked later")
                .contains("db restore: revoked since the backup, so restored revoked");

        Result revived = offline(home, "db", "restore", restorable.toString(), "--replace", "--revive");
        assertThat(revived.exit()).as(revived.err()).isZero();
        assertThat(revived.out()).contains("\nwarning: " + revoked + "active again: revoke it again");
        assertThat(offline(home, "token", "list", "--status", "active").out()).contains("revoked later");
    }
}
