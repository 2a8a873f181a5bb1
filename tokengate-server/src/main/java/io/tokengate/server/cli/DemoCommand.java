package io.tokengate.server.cli;

import io.tokengate.core.TokengateException;
import io.tokengate.demo.DemoJira;
import io.tokengate.demo.Identity;
import io.tokengate.server.TokengateServer;
import io.tokengate.server.config.ConfigException;
import io.tokengate.server.config.ConfigLoader;
import io.tokengate.server.config.EffectiveSetting;
import io.tokengate.server.config.Key;
import io.tokengate.server.config.TokengateConfig;
import io.tokengate.server.logging.CrashReports;
import io.tokengate.server.logging.LogFiles;
import io.tokengate.server.users.InvalidUserException;
import io.tokengate.server.users.LocalUsers;
import io.tokengate.store.JdbcUserStore;
import io.tokengate.store.NewUser;
import io.tokengate.store.UserRole;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tokengate demo}: the gateway with embedded H2 in front of the bundled sample Jira-like
 * upstream, an admin user, one token per example of the original product page, and the curl
 * calls that reproduce those examples. A fixture and a demo: {@code serve} never runs this code.
 */
@Command(
        name = "demo",
        description = {
            "Run tokengate in front of a bundled, in-memory, Jira-like sample server, with tokens for the"
                    + " examples of the original product page, and print curl calls to try them.",
            "Needs no database server and no Jira."
        },
        mixinStandardHelpOptions = true)
final class DemoCommand implements Callable<Integer> {
    static final String DEFAULT_HOME = "tokengate-home-demo";
    private static final String ADMIN = "admin";

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--home",
            paramLabel = "DIR",
            description =
                    "Home directory of the demo (default ./" + DEFAULT_HOME + ", apart from a real installation's).")
    private Path home = Path.of(DEFAULT_HOME);

    @Option(names = "--port", paramLabel = "PORT", description = "Gateway port (default ${DEFAULT-VALUE}).")
    private int port = 8080;

    @Option(names = "--admin-port", paramLabel = "PORT", description = "Admin plane port (default ${DEFAULT-VALUE}).")
    private int adminPort = 8081;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        DemoJira jira = DemoJira.start(DemoJira.Options.defaults().identity(Identity.header("X-Forwarded-User")));
        TokengateServer server;
        try {
            Map<String, String> flags = new LinkedHashMap<>();
            flags.put("gateway.host", "127.0.0.1");
            flags.put("gateway.port", Integer.toString(port));
            flags.put("admin.port", Integer.toString(adminPort));
            flags.put("upstream.url", jira.baseUri().toString());
            flags.put("upstream.identity", "header");
            flags.put("upstream.identity.header", "X-Forwarded-User");
            TokengateConfig config = ConfigLoader.load(home, Shell.of(spec).environment(), flags, true);
            if (config.store().dbUrl() != null) {
                // The demo adds an admin with a printed password and tokens without limits, and
                // audits none of it: never into a database other than its own.
                String source = config.settings().stream()
                        .filter(s -> s.key() == Key.DB_URL)
                        .map(EffectiveSetting::source)
                        .findFirst()
                        .orElse("the configuration");
                jira.close();
                spec.commandLine()
                        .getErr()
                        .println("tokengate demo: the demo runs on its own embedded database, but db.url is set ("
                                + source + "); it would add an admin and unrestricted tokens there. Unset it, or"
                                + " use tokengate serve.");
                return ServeCommand.CONFIG_INVALID;
            }
            config.logDir().ifPresent(LogFiles::writeTo);
            CrashReports.prune();
            server = TokengateServer.start(config, Clock.systemUTC());
        } catch (ConfigException e) {
            jira.close();
            spec.commandLine().getErr().println("tokengate demo: " + e.getMessage());
            return ServeCommand.CONFIG_INVALID;
        } catch (TokengateException e) {
            jira.close();
            spec.commandLine().getErr().println("tokengate demo: could not start: " + e.getMessage());
            return ServeCommand.START_FAILED;
        }
        RunMarker running = RunMarker.mark(home, server.adminUri());
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            jira.close();
                            running.clear();
                        },
                        "tokengate-demo-shutdown"));

        Optional<String> password;
        try {
            password = ensureUsers(server.localUsers(), server.store().users(), Shell.of(spec));
        } catch (InvalidUserException e) {
            spec.commandLine()
                    .getErr()
                    .println("tokengate demo: TOKENGATE_ADMIN_PASSWORD "
                            + e.getMessage().replaceFirst("^password: ", ""));
            return ServeCommand.CONFIG_INVALID;
        }
        String gateway = server.gateway().publicUrl();
        out.println();
        out.println("tokengate demo is running. Press Ctrl-C to stop.");
        out.println();
        out.println("  Sample Jira (upstream)  " + jira.baseUri() + "   in memory, for this demo only");
        out.println("  Gateway (data plane)    " + gateway + "   clients call this instead of Jira");
        out.println("  Admin plane             " + server.adminUri() + "/   web UI; REST API under /api/v1");
        out.println("  Admin sign-in           " + ADMIN + " / "
                + password.orElse("(unchanged; set TOKENGATE_ADMIN_PASSWORD to reset it)"));
        out.println("  Home                    " + home.toAbsolutePath() + "   (H2 database, key file, logs)");
        for (DemoTokens.Section section : DemoTokens.ensure(server.store().tokens(), gateway)) {
            out.println();
            out.println("# " + section.title());
            if (!section.limits().isEmpty()) {
                out.println("#   limits: " + section.limits());
            }
            for (DemoTokens.Call call : section.calls()) {
                out.println(call.command() + "   # " + call.comment() + ": expect " + call.expectedStatus());
            }
        }
        out.println();
        out.flush();
        server.join();
        return 0;
    }

    /**
     * Creates the admin user (password from {@code TOKENGATE_ADMIN_PASSWORD}, or generated) and the
     * seed page's {@code ansible} user. Returns the password when it was set now or given, to print it.
     */
    private static Optional<String> ensureUsers(LocalUsers users, JdbcUserStore store, Shell shell) {
        String fromEnvironment = shell.variable("TOKENGATE_ADMIN_PASSWORD");
        boolean given = fromEnvironment != null && !fromEnvironment.isEmpty();
        Optional<String> shown = Optional.empty();
        if (users.find(ADMIN).isEmpty()) {
            String password = given ? fromEnvironment : generated();
            users.add(ADMIN, "admin@example.com", "Administrator", UserRole.ADMIN, password.toCharArray());
            shown = Optional.of(password);
        } else if (given) {
            if (users.authenticate(ADMIN, fromEnvironment.toCharArray()).isEmpty()) {
                users.setPassword(ADMIN, fromEnvironment.toCharArray());
            }
            shown = Optional.of(fromEnvironment);
        }
        if (store.find("ansible").isEmpty()) {
            // The page's e-mail example; this user only holds tokens, it does not sign in.
            store.add(new NewUser("ansible", "ansible@ansible.jira.pl", "Ansible", UserRole.USER, null));
        }
        return shown;
    }

    private static String generated() {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.toString();
    }
}
