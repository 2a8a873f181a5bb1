package io.tokengate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.tokengate.demo.DemoJira;
import io.tokengate.demo.Identity;
import io.tokengate.store.Database;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandIT {
    private final StringWriter out = new StringWriter();

    private int run(String... args) {
        var commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(new StringWriter()));
        return commandLine.execute(args);
    }

    /** A home with {@code settings}, readable by its owner only, and its database made; no output yet. */
    private void migratedWith(Path home, String settings) throws IOException {
        Files.writeString(home.resolve("tokengate.properties"), settings);
        Files.setPosixFilePermissions(
                home.resolve("tokengate.properties"), PosixFilePermissions.fromString("rw-------"));
        assertThat(run("db", "migrate", "--home", home.toString())).isZero();
        out.getBuffer().setLength(0);
    }

    @Test
    void reportsEveryProblemAtOnce(@TempDir Path home) throws Exception {
        Files.writeString(
                home.resolve("tokengate.properties"),
                """
                upstream.url=ftp://jira
                gateway.prot=8080
                audit.retention.days=-1
                upstream.response.timeout.ms=-300000
                upstream.identity=service-acount
                token.max.lifetime=30
                """);
        assertThat(run("config", "check", "--home", home.toString(), "--json")).isEqualTo(2);
        JsonNode result = new ObjectMapper().readTree(out.toString());
        assertThat(result.get("ok").asBoolean()).isFalse();
        assertThat(result.get("problems"))
                .extracting(JsonNode::asText)
                .anySatisfy(p -> assertThat(p).contains("unknown setting 'gateway.prot' (did you mean gateway.port?)"))
                .anySatisfy(p -> assertThat(p).contains("audit.retention.days: -1 is outside 0..36500"))
                .anySatisfy(p -> assertThat(p).contains("upstream.response.timeout.ms: -300000 is outside 0..86400000"))
                .anySatisfy(p -> assertThat(p).contains("upstream.url: 'ftp://jira' is not an http(s) URL"))
                .anySatisfy(p -> assertThat(p).contains("upstream.identity: unknown mode 'service-acount'"))
                .anySatisfy(p -> assertThat(p)
                        .contains("unknown setting 'token.max.lifetime' (did you mean token.max.lifetime.days?)"));
    }

    /**
     * A setting that does not parse stops only the checks that need it: the key file, the upstream
     * and the file's mode are reported in the same round, settings problems first, and the check
     * that needed the setting says it did not run.
     */
    @Test
    void aSettingWithAProblemStopsOnlyTheChecksThatNeedIt(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve("tokengate.properties"), "upstream.url=http://127.0.0.1:9\ngateway.port=80x\n");
        Files.setPosixFilePermissions(
                home.resolve("tokengate.properties"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(home.resolve("tokengate.key"), "not a key");

        assertThat(run("config", "check", "--home", home.toString())).isEqualTo(2);
        List<String> lines = out.toString().lines().toList();
        assertThat(lines)
                .startsWith("problem: gateway.port: '80x' is not a whole number (from "
                        + home.resolve("tokengate.properties") + ")")
                .anySatisfy(line -> assertThat(line).startsWith("problem: ").contains("tokengate.key"))
                .contains("problem: upstream http://127.0.0.1:9 cannot be reached: connection refused")
                .anySatisfy(line -> assertThat(line)
                        .startsWith("warning: ")
                        .contains("tokengate.properties is readable by every user"))
                .contains("warning: the data plane's URL and TLS not checked: gateway.port has a problem above")
                .anySatisfy(line ->
                        assertThat(line).startsWith("warning: database ").contains("does not exist yet"))
                .endsWith("3 problems found");
        assertThat(out.toString())
                .as("the default port stands in for 80x: no word of it")
                .doesNotContain(":8080");
    }

    /**
     * Each check that needs a setting with a problem says so in one line, the others run: a
     * database URL of another kind or a misspelt one, an upstream URL that is not one.
     */
    @Test
    void aCheckSkippedForASettingSaysWhich(@TempDir Path home) throws Exception {
        String skipped = offlineCheck(home, "upstream.url=http://127.0.0.1:9\ndb.url=jdbc:mysql://db/tokengate\n");
        assertThat(skipped)
                .contains("problem: db.url: 'jdbc:mysql://db/tokengate' is neither jdbc:postgresql: nor jdbc:h2:")
                .contains("warning: database not checked: db.url has a problem above")
                .contains("warning: the data plane listens on 0.0.0.0 (gateway.host) in plain HTTP")
                .contains("1 problem found");

        assertThat(offlineCheck(
                        home, "upstream.url=http://127.0.0.1:9\ndb.ulr=jdbc:postgresql://db.example.com/tokengate\n"))
                .contains("unknown setting 'db.ulr' (did you mean db.url?)")
                .as("the embedded database that stands in for the one meant is not looked at")
                .contains("warning: database not checked: db.url has a problem above");

        assertThat(offlineCheck(
                        home,
                        "upstream.url=http://127.0.0.1:9\nnode.id=node one\n"
                                + "db.url=jdbc:postgresql://db.example.com:5432/tokengate\n"))
                .contains("node.id: 1 to 64 letters")
                .as("the store's defaults stand in for node.id, not for where the database is")
                .contains("warning: db.url: the database on db.example.com is reached over the network");

        Files.writeString(home.resolve("tokengate.properties"), "upstream.url=ftp://jira\n");
        out.getBuffer().setLength(0);
        assertThat(run("config", "check", "--home", home.toString())).isEqualTo(2);
        assertThat(out.toString())
                .contains("problem: upstream.url: 'ftp://jira' is not an http(s) URL with a host")
                .contains("warning: upstream not checked: upstream.url has a problem above")
                .contains("warning: database " + Database.embeddedDirectory(home) + " does not exist yet")
                .contains("warning: the data plane listens on 0.0.0.0 (gateway.host) in plain HTTP")
                .contains("1 problem found");
    }

    @Test
    void aHealthyHomePassesAndAWrongKeyFileModeDoesNot(@TempDir Path home) throws Exception {
        try (DemoJira jira = DemoJira.start(DemoJira.Options.defaults())) {
            Files.writeString(home.resolve("tokengate.properties"), "upstream.url=" + jira.baseUri() + "\n");
            Files.setPosixFilePermissions(
                    home.resolve("tokengate.properties"), PosixFilePermissions.fromString("rw-------"));
            assertThat(run("db", "migrate", "--home", home.toString())).isZero();
            assertThat(run("config", "check", "--home", home.toString()))
                    .as(out.toString())
                    .isZero();
            assertThat(out.toString()).contains("configuration OK");

            Files.writeString(home.resolve("tokengate.key"), "not a key");
            Files.setPosixFilePermissions(home.resolve("tokengate.key"), PosixFilePermissions.fromString("rw-r--r--"));
            out.getBuffer().setLength(0);
            assertThat(run("config", "check", "--home", home.toString())).isEqualTo(2);
            assertThat(out.toString()).contains("problem: ").contains("tokengate.key");
        }
    }

    /**
     * A key file a start would refuse is a problem before the start: missing for a database that
     * has a key, or another database's (a restore to a new host). A fresh home is not touched.
     */
    @Test
    void theKeyFileIsCheckedAgainstTheDatabaseAsAStartWouldCheckIt(@TempDir Path home, @TempDir Path other)
            throws Exception {
        try (DemoJira jira = DemoJira.start(DemoJira.Options.defaults())) {
            Files.writeString(home.resolve("tokengate.properties"), "upstream.url=" + jira.baseUri() + "\n");
            assertThat(run("config", "check", "--home", home.toString()))
                    .as(out.toString())
                    .isZero();
            assertThat(out.toString()).contains("does not exist yet: it is created on first start");
            assertThat(home.resolve("data")).as("a check makes no database").doesNotExist();

            Files.writeString(other.resolve("tokengate.properties"), "upstream.url=" + jira.baseUri() + "\n");
            for (Path made : List.of(home, other)) { // a first use records its key in its database
                assertThat(run("token", "create", "--name", "first", "--unbound", "--home", made.toString()))
                        .isZero();
            }
            Path key = home.resolve("tokengate.key");
            Path kept = home.resolve("tokengate.key.kept");
            Files.move(key, kept);
            out.getBuffer().setLength(0);
            assertThat(run("config", "check", "--home", home.toString())).isEqualTo(2);
            assertThat(out.toString())
                    .contains("does not exist, but this database")
                    .as("no word of a key file the start would make")
                    .doesNotContain("created on first start");

            Files.copy(other.resolve("tokengate.key"), key);
            out.getBuffer().setLength(0);
            assertThat(run("config", "check", "--home", home.toString())).isEqualTo(2);
            assertThat(out.toString()).contains("does not belong to this database");

            Files.move(kept, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            out.getBuffer().setLength(0);
            assertThat(run("config", "check", "--home", home.toString()))
                    .as(out.toString())
                    .isZero();
        }
    }

    /** Without gateway.public.url, restrictions match where the gateway listens: said as the server computes it. */
    @Test
    void theUrlRestrictionsMatchIsNamedAsTheServerComputesIt(@TempDir Path home) throws Exception {
        Files.writeString(
                home.resolve("tokengate.properties"),
                "upstream.url=http://127.0.0.1:9\ngateway.host=127.0.0.1\ngateway.port=47150\n");
        run("config", "check", "--offline", "--home", home.toString());
        assertThat(out.toString()).contains("restrictions will match http://127.0.0.1:47150/…");
    }

    /**
     * Tokens crossing the network in clear text are said however clients reach the gateway: where it
     * listens (by default every address, as the README's first steps leave it) or its public URL.
     */
    @Test
    void aDataPlaneInPlainHttpOffTheLoopbackIsAWarning(@TempDir Path home) throws Exception {
        String upstream = "upstream.url=http://127.0.0.1:9\n";
        assertThat(offlineCheck(home, upstream))
                .contains("the data plane listens on 0.0.0.0 (gateway.host) in plain HTTP: tokens would cross the"
                        + " network in clear text");
        assertThat(offlineCheck(home, upstream + "gateway.host=127.0.0.1\n")).doesNotContain("clear text");
        assertThat(offlineCheck(home, upstream + "gateway.host=127.0.0.2\n"))
                .as("all of 127.0.0.0/8 is this machine")
                .doesNotContain("clear text");
        assertThat(offlineCheck(home, upstream + "gateway.host=::1\nadmin.host=0:0:0:0:0:0:0:1\n"))
                .doesNotContain("clear text")
                .doesNotContain("reachable from the network");
        assertThat(offlineCheck(home, upstream + "gateway.public.url=http://localhost.corp.example.com\n"))
                .contains("gateway.public.url is plain http");
        assertThat(offlineCheck(home, upstream + "gateway.public.url=http://localhost:8080\n"))
                .doesNotContain("clear text");
        assertThat(offlineCheck(home, upstream + "gateway.public.url=http://[::1]:8080\n"))
                .doesNotContain("clear text");
    }

    /** {@code config check --offline} on a home with {@code settings}: what it prints. */
    private String offlineCheck(Path home, String settings) throws IOException {
        Files.writeString(home.resolve("tokengate.properties"), settings);
        out.getBuffer().setLength(0);
        run("config", "check", "--offline", "--home", home.toString());
        return out.toString();
    }

    /**
     * A token whose limits an earlier version saved and this one refuses (the page's {@code
     * [method]} placeholder) fails closed at every use: config check names it first.
     */
    @Test
    void aTokenWhoseLimitsNoLongerParseIsNamed(@TempDir Path home) throws Exception {
        try (DemoJira jira = DemoJira.start(DemoJira.Options.defaults())) {
            Files.writeString(home.resolve("tokengate.properties"), "upstream.url=" + jira.baseUri() + "\n");
            assertThat(run(
                            "token",
                            "create",
                            "--name",
                            "from before",
                            "--unbound",
                            "--limits",
                            ".*",
                            "--home",
                            home.toString()))
                    .isZero();
            try (Connection c = DriverManager.getConnection(Database.embeddedUrl(home));
                    Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("UPDATE tokens SET limits_text = '[method].*/rest/api/.*'"))
                        .isOne();
            }
            out.getBuffer().setLength(0);
            run("config", "check", "--home", home.toString());
            assertThat(out.toString())
                    .contains("(from before) is refused at every use: its limits no longer parse")
                    .contains("'[method]' is not an HTTP method");
        }
    }

    @Test
    void aSettingSetTwiceIsAWarningThatNamesItsLines(@TempDir Path home) throws Exception {
        Files.writeString(
                home.resolve("tokengate.properties"),
                String.join(
                        "\n",
                        "upstream.url=http://127.0.0.1:9",
                        "gateway.port = 8080",
                        "runas.groups=ops,\\",
                        "  gateway.port=1",
                        "# gateway.port=2",
                        "gateway.port: 9090",
                        ""));
        assertThat(run("config", "check", "--home", home.toString(), "--offline"))
                .isZero();
        assertThat(out.toString())
                .contains("warning: tokengate.properties sets gateway.port on lines 2, 6: only the last one counts")
                .doesNotContain("runas.groups on lines");
    }

    /**
     * pgjdbc's default, sslmode=prefer, takes any certificate and speaks plain text to a database
     * that offers no TLS: across the network, db.password and the token store are open to whoever
     * is on the path.
     */
    @Test
    void aDatabaseAcrossTheNetworkWithoutVerifiedTlsIsAWarning(@TempDir Path home) throws Exception {
        Files.writeString(
                home.resolve("tokengate.properties"),
                "upstream.url=http://127.0.0.1:9\ndb.url=jdbc:postgresql://db.example.com:5432/tokengate\n");
        assertThat(run("config", "check", "--home", home.toString(), "--offline"))
                .isZero();
        assertThat(out.toString())
                .contains("warning: db.url: the database on db.example.com is reached over the network and"
                        + " sslmode=prefer (the driver's default) falls back to plain text where the server allows it,"
                        + " and checks no certificate: whoever is on the path can read db.password and the token store"
                        + " or pose as the database; use sslmode=verify-full&sslrootcert=CA.pem");
    }

    @Test
    void anUnreachableUpstreamIsAProblemThatSaysWhy(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve("tokengate.properties"), "upstream.url=http://127.0.0.1:9\n");
        assertThat(run("config", "check", "--home", home.toString())).isEqualTo(2);
        assertThat(out.toString()).contains("upstream http://127.0.0.1:9 cannot be reached: connection refused");

        out.getBuffer().setLength(0);
        Files.writeString(home.resolve("tokengate.properties"), "upstream.url=http://jira.invalid\n");
        assertThat(run("config", "check", "--home", home.toString())).isEqualTo(2);
        assertThat(out.toString())
                .contains("upstream http://jira.invalid cannot be reached: its host name does not resolve");
    }

    /**
     * Two ways to get upstream.url wrong that Jira would answer anyway, each request with a 404: a
     * REST path in it, and a missing context path.
     */
    @Test
    void anUpstreamUrlThatIsNotJirasBaseUrlIsAWarning(@TempDir Path home) throws Exception {
        try (DemoJira jira = DemoJira.start(DemoJira.Options.defaults().contextPath("/jira"))) {
            Files.writeString(home.resolve("tokengate.properties"), "upstream.url=" + jira.baseUri() + "/rest/api/2\n");
            assertThat(run("config", "check", "--home", home.toString())).isZero();
            assertThat(out.toString())
                    .contains("upstream.url " + jira.baseUri() + "/rest/api/2 has a REST path: it should be Jira's"
                            + " base URL");

            out.getBuffer().setLength(0);
            String withoutContext = jira.baseUri().toString().replace("/jira", "");
            Files.writeString(home.resolve("tokengate.properties"), "upstream.url=" + withoutContext + "\n");
            assertThat(run("config", "check", "--home", home.toString())).isZero();
            assertThat(out.toString())
                    .contains("upstream " + withoutContext + " answers 404 to /rest/api/2/serverInfo")
                    .doesNotContain("has a REST path");

            out.getBuffer().setLength(0);
            Files.writeString(home.resolve("tokengate.properties"), "upstream.url=" + jira.baseUri() + "\n");
            assertThat(run("config", "check", "--home", home.toString())).isZero();
            assertThat(out.toString()).doesNotContain("serverInfo").doesNotContain("REST path");
        }
    }

    @Test
    void aServiceAccountJiraRefusesIsAProblemNamedWithoutItsPassword(@TempDir Path home) throws Exception {
        try (DemoJira jira = DemoJira.start(
                DemoJira.Options.defaults().identity(Identity.serviceAccount("svc-tokengate", "right-password-1")))) {
            String settings = "upstream.url=" + jira.baseUri() + "\n"
                    + "upstream.identity=service-account\n"
                    + "upstream.service.user=svc-tokengate\n";
            migratedWith(home, settings + "upstream.service.password=wrong-password-1\n");

            assertThat(run("config", "check", "--home", home.toString(), "--json"))
                    .isEqualTo(2);
            JsonNode refused = new ObjectMapper().readTree(out.toString());
            assertThat(refused.get("problems"))
                    .extracting(JsonNode::asText)
                    .containsExactly("upstream.identity: Jira refuses the service account (401 to /rest/api/2/myself):"
                            + " every forwarded request would be refused; check upstream.service.user and"
                            + " upstream.service.password, or upstream.service.token");
            assertThat(out.toString()).doesNotContain("wrong-password-1");

            Files.writeString(
                    home.resolve("tokengate.properties"), settings + "upstream.service.password=right-password-1\n");
            out.getBuffer().setLength(0);
            assertThat(run("config", "check", "--home", home.toString()))
                    .as(out.toString())
                    .isZero();
        }
    }

    /**
     * {@code user-credential} with an account that only looks users up: one Jira refuses is a
     * problem that says what it costs (deactivated users not told from refused credentials); half
     * of one (a user without a password) is refused as it is read.
     */
    @Test
    void aLookupAccountJiraRefusesIsAProblemNamedWithoutItsPassword(@TempDir Path home) throws Exception {
        try (DemoJira jira = DemoJira.start(DemoJira.Options.defaults())) {
            String settings = "upstream.url=" + jira.baseUri() + "\n"
                    + "upstream.identity=user-credential\n"
                    + "upstream.service.user=admin\n";
            migratedWith(home, settings + "upstream.service.password=wrong-pw-1\n");

            assertThat(run("config", "check", "--home", home.toString(), "--json"))
                    .isEqualTo(2);
            assertThat(new ObjectMapper().readTree(out.toString()).get("problems"))
                    .extracting(JsonNode::asText)
                    .containsExactly("upstream.service.*: Jira refuses the account that looks users up (401 to"
                            + " /rest/api/2/myself): users Jira deactivated or deleted cannot be told from credentials"
                            + " it refuses; check upstream.service.user and upstream.service.password, or"
                            + " upstream.service.token, or remove them");
            assertThat(out.toString()).doesNotContain("wrong-pw-1");

            Files.writeString(home.resolve("tokengate.properties"), settings + "upstream.service.password=admin\n");
            out.getBuffer().setLength(0);
            assertThat(run("config", "check", "--home", home.toString()))
                    .as(out.toString())
                    .isZero();

            Files.writeString(home.resolve("tokengate.properties"), settings);
            out.getBuffer().setLength(0);
            assertThat(run("config", "check", "--home", home.toString())).isEqualTo(2);
            assertThat(out.toString())
                    .contains("upstream.identity=user-credential looks users up in Jira with upstream.service.user and"
                            + " upstream.service.password together");
        }
    }

    /**
     * A Jira behind single sign-on may answer an API call it does not take with a redirect to its
     * login page, neither taking nor refusing the service account: a warning, not "OK" in silence.
     */
    @Test
    void aServiceAccountJiraNeitherTakesNorRefusesIsAWarning(@TempDir Path home) throws Exception {
        HttpServer sso = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sso.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().equals("/rest/api/2/myself")) {
                exchange.getResponseHeaders().add("Location", "/login.jsp");
                exchange.sendResponseHeaders(302, -1);
            } else {
                exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
        });
        sso.start();
        try {
            migratedWith(
                    home,
                    "upstream.url=http://127.0.0.1:" + sso.getAddress().getPort() + "\n"
                            + "upstream.identity=service-account\n"
                            + "upstream.service.user=svc-tokengate\n"
                            + "upstream.service.password=some-password-1\n");

            assertThat(run("config", "check", "--home", home.toString(), "--json"))
                    .isZero();
            JsonNode checked = new ObjectMapper().readTree(out.toString());
            assertThat(checked.get("warnings")).extracting(JsonNode::asText).anySatisfy(warning -> assertThat(warning)
                    .startsWith("upstream.identity: Jira answered 302 to /rest/api/2/myself as the service"
                            + " account, neither taking nor refusing it"));
            assertThat(out.toString()).doesNotContain("some-password-1");
        } finally {
            sso.stop(0);
        }
    }
}
