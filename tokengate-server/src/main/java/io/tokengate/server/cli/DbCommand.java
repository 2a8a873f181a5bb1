package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokengate.core.TokengateException;
import io.tokengate.server.config.ConfigException;
import io.tokengate.server.config.TokengateConfig;
import io.tokengate.server.users.OperatorIdentity;
import io.tokengate.store.Backups;
import io.tokengate.store.SecureModeKeeper;
import io.tokengate.store.Store;
import io.tokengate.store.StoreUnavailableException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tokengate db migrate}: brings the database schema up to date, and nothing else. {@code
 * tokengate db backup}: a consistent copy of the embedded database, taken by the server while it
 * serves (or by this process over the home). {@code tokengate db restore}: puts one back, with no
 * server running.
 */
@Command(
        name = "db",
        mixinStandardHelpOptions = true,
        description = "Database commands.",
        subcommands = {
            DbCommand.Migrate.class,
            DbCommand.Backup.class,
            DbCommand.Restore.class,
            DbCommand.LeaveSecureMode.class
        })
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
            return onHome(spec, ServeCommand.START_FAILED, () -> {
                TokengateConfig config = home.load(Shell.of(spec), Map.of(), false);
                int applied;
                try {
                    applied = Store.migrate(config.store());
                } catch (StoreUnavailableException e) {
                    throw AdminConnection.heldByAServer(config, e);
                }
                return applied == 0
                        ? "schema up to date"
                        : applied + " migration" + (applied == 1 ? "" : "s") + " applied; schema up to date";
            });
        }
    }

    @Command(
            name = "backup",
            description = {
                "Write a consistent copy of the embedded H2 database under HOME/backups, while the server"
                        + " serves (with --server) or over the home. The key file is not in it: keep a copy"
                        + " of HOME/tokengate.key apart; a restored database works only with it.",
                "With PostgreSQL, use its own tools (pg_dump)."
            },
            mixinStandardHelpOptions = true)
    static final class Backup extends AdminCommand {
        @Option(
                names = "--keep",
                paramLabel = "N",
                description = "Then delete all but the newest N backups in HOME/backups (a nightly job's --keep 14).")
        Integer keep;

        @Override
        void run(ApiClient api, PrintWriter out) throws Exception {
            JsonNode backup =
                    api.post("/backups" + (keep == null ? "" : "?keep=" + keep), ApiClient.JSON.createObjectNode());
            if (json) {
                printJson(out, backup);
                return;
            }
            out.println("backup written: " + text(backup, "file") + " (" + text(backup, "bytes") + " bytes)");
            for (JsonNode removed : backup.path("removed")) {
                out.println("removed " + removed.asText());
            }
            out.println(text(backup, "note"));
        }
    }

    @Command(
            name = "restore",
            description = {
                "Restore a backup (from tokengate db backup) as the home's embedded database. No server may"
                        + " hold the home. The home's key file must be the one the backup was made with.",
                "A database already there is moved aside to HOME/data-replaced-TIME, only with --replace."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:restored",
                "1:not restored (the reason is printed; the home is as it was)",
                "2:invalid configuration"
            },
            mixinStandardHelpOptions = true)
    static final class Restore implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Mixin
        private HomeOptions home;

        @Parameters(paramLabel = "FILE", description = "The backup, a zip file.")
        Path file;

        @Option(names = "--replace", description = "Move a database already in the home aside, and restore.")
        boolean replace;

        @Option(
                names = "--revive",
                description = "With --replace: restore the tokens revoked, rotated or deleted since the backup as"
                        + " they were then, working again (to undo a mistaken revoke). Without it they are restored"
                        + " revoked, with an audit record each; and a database that cannot be read is not replaced,"
                        + " since they cannot be told.")
        boolean revive;

        @Override
        public Integer call() {
            return onHome(spec, AdminCommand.REFUSED, () -> {
                if (revive && !replace) {
                    throw new TokengateException(
                            "--revive applies to the tokens of a database the restore replaces: use it with --replace");
                }
                TokengateConfig config = home.load(Shell.of(spec), Map.of(), false);
                Backups.Restored restored = Backups.restore(
                        config.store(), file, replace, revive, OperatorIdentity.currentUserName(), Clock.systemUTC());
                return "restored " + file + " into "
                        + restored.into()
                        + restored.setAside()
                                .map(aside -> "; the database it replaced is in " + aside)
                                .orElse("")
                        + restored.warnings().stream()
                                .map(warning -> "\nwarning: " + warning)
                                .collect(Collectors.joining());
            });
        }
    }

    @Command(
            name = "leave-secure-mode",
            description = {
                "Turn secure mode off for the database. A node started with token.secure.mode=true turns it"
                        + " on for the database, and every node follows it whatever its own setting; only this"
                        + " command turns it off, with an audit record. Set token.secure.mode=false on every"
                        + " node first, and stop them (with H2, the server holds the database).",
                "Secrets erased while it was on stay erased, and so are any copies stored meanwhile:"
                        + " rotate a token to see its secret again."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:secure mode is off",
                "1:refused: a node running with token.secure.mode=true would turn it on again",
                "2:invalid configuration",
                "3:database error"
            },
            mixinStandardHelpOptions = true)
    static final class LeaveSecureMode implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Mixin
        private HomeOptions home;

        @Option(
                names = "--force",
                description = "Leave it although a node running with token.secure.mode=true said so in the last"
                        + " few minutes (it turns secure mode on again within a minute, unless it was stopped"
                        + " without saying so).")
        private boolean force;

        @Override
        public Integer call() {
            return onHome(spec, ServeCommand.START_FAILED, () -> {
                if (!Files.isDirectory(home.home(Shell.of(spec)))) {
                    throw home.missing(Shell.of(spec), "");
                }
                TokengateConfig config = home.load(Shell.of(spec), Map.of(), false);
                if (config.secureMode()) {
                    throw new ConfigException(List.of("token.secure.mode is true for this home ("
                            + config.home().toAbsolutePath()
                            + "): set it to false here and on every node first, or secure mode stays on"));
                }
                try (Store store = AdminConnection.openOffline(config)) {
                    List<SecureModeKeeper> keepers = store.secureMode().keepers();
                    if (!keepers.isEmpty() && !force) {
                        throw new Refused("secure mode stays on: "
                                + keepers.stream()
                                        .map(SecureModeKeeper::described)
                                        .collect(Collectors.joining(", "))
                                + (keepers.size() == 1 ? " runs" : " run")
                                + " with token.secure.mode=true, and would turn it on again within a minute. Set"
                                + " token.secure.mode=false there and restart, or stop it, first; --force if it is"
                                + " gone without saying so");
                    }
                    return store.secureMode()
                                    .leave(OperatorIdentity.forCurrentUser().name(), keepers)
                            ? "secure mode is off for the database; nodes started with token.secure.mode=false"
                                    + " store and show secrets again (those erased stay erased: rotate to see one)."
                                    + " A node still running with token.secure.mode=true turns it on again within a"
                                    + " minute"
                            : "the database was not in secure mode; nothing changed";
                }
            });
        }
    }

    /**
     * Runs {@code work} on the home directory and prints what it says: exit 0; refused, 1; an
     * invalid configuration, 2; any other failure, {@code failed}, with its message.
     */
    private static int onHome(CommandSpec spec, int failed, Supplier<String> work) {
        try {
            spec.commandLine().getOut().println(work.get());
            return 0;
        } catch (Refused e) {
            spec.commandLine().getErr().println("tokengate: " + e.getMessage());
            return AdminCommand.REFUSED;
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("tokengate: " + e.getMessage());
            return ServeCommand.CONFIG_INVALID;
        } catch (TokengateException e) {
            spec.commandLine().getErr().println("tokengate: " + e.getMessage());
            return failed;
        }
    }
}
