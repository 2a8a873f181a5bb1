package io.tokengate.server.cli;

import io.tokengate.core.TokengateException;
import io.tokengate.server.TokengateServer;
import io.tokengate.server.config.AdminConfig;
import io.tokengate.server.config.ConfigException;
import io.tokengate.server.config.Settings;
import io.tokengate.server.config.TokengateConfig;
import io.tokengate.server.logging.CrashReports;
import io.tokengate.server.logging.LogFiles;
import io.tokengate.store.KeyFileException;
import io.tokengate.store.PostgresUrl;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tokengate serve}: runs the gateway and the admin plane until stopped. */
@Command(
        name = "serve",
        description = "Run the gateway in front of Jira, and the admin plane, until stopped (Ctrl-C or SIGTERM).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped cleanly (after SIGTERM or Ctrl-C, the JVM exits 143 or 130 instead)",
            "2:invalid configuration (every problem is listed), or a key file or log directory that cannot be used:"
                    + " waits for an administrator",
            "3:could not start (database, port): may work when tried again",
            "64:invalid command line"
        },
        mixinStandardHelpOptions = true)
final class ServeCommand implements Callable<Integer> {
    static final int CONFIG_INVALID = 2;
    static final int START_FAILED = 3;

    @Spec
    private CommandSpec spec;

    @Mixin
    private HomeOptions home;

    @Mixin
    private ServeOptions serving;

    @Override
    public Integer call() throws InterruptedException {
        Shell shell = Shell.of(spec);
        Map<String, String> flags = serving.flags();
        TokengateServer server;
        TokengateConfig config;
        try {
            config = home.load(shell, flags, true);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("tokengate: " + e.getMessage());
            return CONFIG_INVALID;
        }
        try {
            config.logDir().ifPresent(LogFiles::writeTo);
            CrashReports.prune();
            Settings.unknownVariables(shell.environment())
                    .forEach(warning ->
                            LoggerFactory.getLogger(ServeCommand.class).warn("{}", warning));
            PostgresUrl.unverified(config.store().dbUrl())
                    .ifPresent(warning ->
                            LoggerFactory.getLogger(ServeCommand.class).warn("{}", warning));
            server = TokengateServer.start(config, Clock.systemUTC());
        } catch (LogFiles.UnusableDirectory | KeyFileException e) {
            // Trying again cannot help (a service manager restarting on failure would loop): the
            // home needs an administrator, as an invalid configuration does.
            spec.commandLine().getErr().println("tokengate: could not start: " + e.getMessage());
            return CONFIG_INVALID;
        } catch (TokengateException e) {
            spec.commandLine().getErr().println("tokengate: could not start: " + e.getMessage());
            return START_FAILED;
        }
        if (config.admin().identitySource() == AdminConfig.IdentitySource.LOCAL
                && server.localUsers().list().isEmpty()) {
            // Nobody can sign in, so nobody can make one over the admin API: said before anyone tries.
            LoggerFactory.getLogger(ServeCommand.class)
                    .warn(
                            "no users yet: nobody can sign in or create tokens. Add the first admin with 'tokengate"
                                    + " user add NAME --admin --home {}'{}",
                            config.home().toAbsolutePath(),
                            config.store().dbUrl() == null
                                    ? " after stopping this server (it holds the database)"
                                    : "");
        }
        RunMarker running = RunMarker.mark(config.home(), server.adminUri());
        TokengateServer serving = server;
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            serving.close();
                            running.clear();
                        },
                        "tokengate-shutdown"));
        // Ctrl-C stops a server run at a terminal; under a service manager (systemd's journal, a
        // pipe, /dev/null) there is none to press it at.
        spec.commandLine()
                .getOut()
                .println("tokengate: gateway on " + server.dataUri() + ", admin on " + server.adminUri()
                        + (System.console() != null ? " (Ctrl-C to stop)" : ""));
        spec.commandLine().getOut().flush();
        server.join();
        return 0;
    }
}
