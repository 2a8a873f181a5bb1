package io.tokengate.server.cli;

import io.tokengate.core.TokengateException;
import io.tokengate.server.config.ConfigException;
import io.tokengate.store.Store;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tokengate db migrate}: brings the database schema up to date, and nothing else. */
@Command(name = "db", description = "Database commands.", subcommands = DbCommand.Migrate.class)
final class DbCommand {

    @Command(
            name = "migrate",
            description = "Apply pending schema migrations (a server also does this at start-up).",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:schema up to date", "2:invalid configuration", "3:database error"},
            mixinStandardHelpOptions = true)
    static final class Migrate implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Mixin
        private HomeOptions home;

        @Override
        public Integer call() {
            try {
                int applied = Store.migrate(home.load(Map.of(), false).store());
                spec.commandLine()
                        .getOut()
                        .println(
                                applied == 0
                                        ? "schema up to date"
                                        : applied + " migration" + (applied == 1 ? "" : "s")
                                                + " applied; schema up to date");
                return 0;
            } catch (ConfigException e) {
                spec.commandLine().getErr().println("tokengate: " + e.getMessage());
                return ServeCommand.CONFIG_INVALID;
            } catch (TokengateException e) {
                spec.commandLine().getErr().println("tokengate: " + e.getMessage());
                return ServeCommand.START_FAILED;
            }
        }
    }
}
