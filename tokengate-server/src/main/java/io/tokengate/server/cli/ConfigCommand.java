package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokengate.server.config.ConfigException;
import io.tokengate.server.config.ConfigLoader;
import io.tokengate.server.config.Settings;
import io.tokengate.server.config.TokengateConfig;
import io.tokengate.store.PostgresUrl;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * stored tokens), {@link UpstreamCheck}'s and {@link ExposureCheck}'s (public URLs, TLS).
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
            TokengateConfig config = null;
            try {
                config = home.load(shell, serving.flags(), true);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
            PropertiesFileCheck.check(dir.resolve(ConfigLoader.FILE_NAME), warnings);
            warnings.addAll(Settings.unknownVariables(shell.environment()));
            if (config != null) {
                boolean keyFileReadable = DatabaseCheck.checkKeyFile(config, problems);
                PostgresUrl.unverified(config.store().dbUrl()).ifPresent(warnings::add);
                boolean keyNeeded =
                        !offline && DatabaseCheck.checkDatabase(config, keyFileReadable, problems, warnings);
                if (!Files.exists(config.store().keyFilePath()) && !keyNeeded) {
                    warnings.add("key file " + config.store().keyFilePath()
                            + " does not exist yet: it is created on first start;"
                            + " in a cluster, copy one key file to every node instead");
                }
                if (!offline) {
                    UpstreamCheck.checkReachable(config, problems, warnings);
                }
                UpstreamCheck.checkPath(config, warnings);
                ExposureCheck.check(config, warnings);
            }
            print(problems, warnings);
            return problems.isEmpty() ? 0 : 2;
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
