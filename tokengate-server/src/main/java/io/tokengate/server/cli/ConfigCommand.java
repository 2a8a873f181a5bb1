package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokengate.server.config.ConfigLoader;
import io.tokengate.server.config.Key;
import io.tokengate.server.config.LoadedConfig;
import io.tokengate.server.config.Settings;
import io.tokengate.server.config.TokengateConfig;
import io.tokengate.store.Database;
import io.tokengate.store.PostgresUrl;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tokengate config check}: every configuration problem at once, before a start finds them one
 * by one. The command loads the settings, runs the checks and prints what they found; the checks are
 * {@link PropertiesFileCheck}'s (the file itself), {@link DatabaseCheck}'s (key file, database,
 * stored tokens), {@link UpstreamCheck}'s and {@link ExposureCheck}'s (public URLs, TLS). A setting
 * with a problem stops only the checks that need it, so that one round of edits can mend them all.
 */
@Command(
        name = "config",
        description = "Configuration commands.",
        subcommands = ConfigCommand.Check.class,
        mixinStandardHelpOptions = true)
final class ConfigCommand {

    @Command(
            name = "check",
            description = {
                "Check the configuration of a home directory: settings, key file, database and upstream reachability.",
                "Reports every problem at once. Changes nothing."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:no problems (warnings may be printed)", "2:problems found", "64:invalid command line"},
            mixinStandardHelpOptions = true)
    static final class Check implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Mixin
        private HomeOptions home;

        @Option(names = "--json", description = "Print the result as JSON.")
        private boolean json;

        @Option(names = "--offline", description = "Do not try to reach the database or the upstream.")
        private boolean offline;

        @Mixin
        private ServeOptions serving;

        @Override
        public Integer call() throws IOException {
            List<String> problems = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            Shell shell = Shell.of(spec);
            Path dir = home.home(shell);
            if (!Files.isDirectory(dir)) {
                warnings.add("home directory " + dir.toAbsolutePath() + " does not exist yet (created on first start)");
            }
            LoadedConfig loaded = home.read(shell, serving.flags());
            problems.addAll(loaded.problems());
            PropertiesFileCheck.check(dir.resolve(ConfigLoader.FILE_NAME), warnings);
            warnings.addAll(Settings.unknownVariables(shell.environment()));
            check(loaded, problems, warnings);
            print(problems, warnings);
            return problems.isEmpty() ? 0 : 2;
        }

        /**
         * The checks beyond the settings, each unless a setting it needs had a problem (it would then
         * look at the default standing in for it) or the home keeps it from looking: then a warning
         * says it was not checked, lest its silence pass for a pass.
         */
        private void check(LoadedConfig loaded, List<String> problems, List<String> warnings) {
            TokengateConfig config = loaded.config();
            Path keyFile = config.store().keyFilePath();
            boolean keyFileCheckable = checkable(
                    "key file", loaded.failedAmong(Key.KEY_FILE).or(() -> unusable(loaded, keyFile)), warnings);
            boolean keyFileReadable = keyFileCheckable && DatabaseCheck.checkKeyFile(config, problems);
            boolean keyNeeded = false;
            Optional<String> database = loaded.failedAmong(Key.DB_URL, Key.DB_USER, Key.DB_PASSWORD);
            if (config.store().dbUrl() == null) {
                database = database.or(() -> unusable(loaded, Database.embeddedDirectory(config.home())));
            }
            if (checkable("database", database, warnings)) {
                PostgresUrl.unverified(config.store().dbUrl()).ifPresent(warnings::add);
                keyNeeded = !offline && DatabaseCheck.checkDatabase(config, keyFileReadable, problems, warnings);
            }
            if (keyFileCheckable && !Files.exists(keyFile) && !keyNeeded) {
                warnings.add("key file " + keyFile + " does not exist yet: it is created on first start;"
                        + " in a cluster, copy one key file to every node instead");
            }
            if (!offline
                    && checkable("upstream", loaded.failedAmong(Key.UPSTREAM_URL, Key.UPSTREAM_TLS_CA), warnings)
                    && UpstreamCheck.checkReachable(config, problems, warnings)
                    && checkable(
                            "the service account",
                            loaded.failedAmong(
                                    Key.UPSTREAM_IDENTITY,
                                    Key.UPSTREAM_SERVICE_USER,
                                    Key.UPSTREAM_SERVICE_PASSWORD,
                                    Key.UPSTREAM_SERVICE_TOKEN),
                            warnings)) {
                UpstreamCheck.checkServiceAccount(config, problems, warnings);
            }
            UpstreamCheck.checkPath(config, warnings);
            if (checkable(
                    "the data plane's URL and TLS",
                    loaded.failedAmong(
                            Key.GATEWAY_PUBLIC_URL,
                            Key.GATEWAY_HOST,
                            Key.GATEWAY_PORT,
                            Key.GATEWAY_TLS_KEYSTORE,
                            Key.GATEWAY_TLS_KEYSTORE_PASSWORD),
                    warnings)) {
                ExposureCheck.checkDataPlane(config, warnings);
            }
            if (checkable(
                    "the admin plane's reach and TLS",
                    loaded.failedAmong(
                            Key.ADMIN_HOST,
                            Key.ADMIN_PUBLIC_URL,
                            Key.ADMIN_ALLOWED_HOSTS,
                            Key.ADMIN_TLS_KEYSTORE,
                            Key.ADMIN_TLS_KEYSTORE_PASSWORD),
                    warnings)) {
                ExposureCheck.checkAdminPlane(config, warnings);
            }
        }

        /** Whether a check of {@code what} may run: not when {@code failed} names what it needs, as a warning says. */
        private static boolean checkable(String what, Optional<String> failed, List<String> warnings) {
            failed.ifPresent(name -> warnings.add(what + " not checked: " + name + " has a problem above"));
            return failed.isEmpty();
        }

        /** The place at or around {@code place} this process may not use, by name. */
        private static Optional<String> unusable(LoadedConfig loaded, Path place) {
            return loaded.unusableAt(place).map(Path::toString);
        }

        private void print(List<String> problems, List<String> warnings) throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ObjectMapper mapper = new ObjectMapper();
                ObjectNode result = mapper.createObjectNode().put("ok", problems.isEmpty());
                problems.forEach(result.putArray("problems")::add);
                warnings.forEach(result.putArray("warnings")::add);
                out.println(mapper.writeValueAsString(result));
            } else {
                problems.forEach(p -> out.println("problem: " + p));
                warnings.forEach(w -> out.println("warning: " + w));
                out.println(
                        problems.isEmpty()
                                ? "configuration OK"
                                        + (warnings.isEmpty()
                                                ? ""
                                                : " (" + warnings.size()
                                                        + (warnings.size() == 1 ? " warning)" : " warnings)"))
                                : problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " found");
            }
            out.flush();
        }
    }
}
