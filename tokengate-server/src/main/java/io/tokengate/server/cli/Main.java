package io.tokengate.server.cli;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tokengate} command. */
@Command(
        name = "tokengate",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Scoped API-token gateway for Jira's REST API.",
        subcommands = {
            ServeCommand.class,
            DemoCommand.class,
            CheckCommand.class,
            TokenCommand.class,
            AuditCommand.class,
            UserCommand.class,
            ConfigCommand.class,
            DbCommand.class,
            ThrottleCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    /** Exit code for a command line that cannot be understood (sysexits EX_USAGE). */
    public static final int USAGE = 64;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Where this command line's commands read their environment and input; see {@link Shell#of}. */
    final Shell shell;

    private Main(Shell shell) {
        this.shell = shell;
    }

    public static void main(String[] args) {
        quietUnlessServing(args);
        System.exit(commandLine().execute(args));
    }

    /**
     * Servers log at INFO; one-shot commands only warn, so that their output is what the user
     * asked for. {@code TOKENGATE_LOG_LEVEL} overrides both. Must run before the first logger.
     */
    private static void quietUnlessServing(String[] args) {
        boolean serving = args.length > 0 && (args[0].equals("serve") || args[0].equals("demo"));
        if (!serving && System.getenv("TOKENGATE_LOG_LEVEL") == null) {
            System.setProperty("TOKENGATE_LOG_LEVEL", "WARN");
        }
    }

    /**
     * Sends what libraries log through java.util.logging (the PostgreSQL driver: a certificate
     * that does not name the host, say) to SLF4J, so that it reaches the JSON log with the rest,
     * rather than standard error in java.util.logging's own two-line format. Once per process.
     */
    private static synchronized void routeJavaUtilLogging() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    /** The configured command line, in the process's own {@link Shell#system() shell}. */
    public static CommandLine commandLine() {
        return commandLine(Shell.system());
    }

    /**
     * The configured command line, its commands reading the environment and standard input of
     * {@code shell} and streaming bytes to its standard output. Its text still goes to the writers
     * of the command line ({@link CommandLine#setOut}, {@link CommandLine#setErr}); a test that
     * reads both sets the first to write to {@code shell}'s output.
     */
    static CommandLine commandLine(Shell shell) {
        routeJavaUtilLogging();
        CommandLine commandLine = new CommandLine(new Main(shell));
        versionEverywhere(commandLine, new Version());
        commandLine.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("tokengate: " + e.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, cmd.getErr())) {
                cmd.getErr().println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
            }
            return USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // A file named on the command line that cannot be read, or a value the command found
            // unusable: the command line's fault, said in one line rather than a stack trace.
            if (e instanceof NoSuchFileException missing) {
                cmd.getErr().println("tokengate: no such file: " + missing.getFile());
            } else if (e instanceof IOException || e instanceof IllegalArgumentException) {
                cmd.getErr().println("tokengate: " + (e.getMessage() != null ? e.getMessage() : e));
            } else {
                throw e;
            }
            return USAGE;
        });
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Every subcommand's {@code --version} prints what {@code tokengate --version} does. */
    private static void versionEverywhere(CommandLine command, CommandLine.IVersionProvider version) {
        for (CommandLine sub : command.getSubcommands().values()) {
            sub.getCommandSpec().versionProvider(version);
            versionEverywhere(sub, version);
        }
    }
}
