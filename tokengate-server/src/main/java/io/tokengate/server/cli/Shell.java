package io.tokengate.server.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What a command reads from its process besides its arguments: the environment ({@code
 * TOKENGATE_HOME}, {@code TOKENGATE_ADMIN_PASSWORD}, settings as {@code TOKENGATE_<KEY>}), standard
 * input ({@code --password-stdin}, {@code --limits-file -}), and standard output as bytes, which an
 * audit export streams to as the server sends it. Text goes through the command line's writers
 * ({@code getOut()}, {@code getErr()}). {@link Main#main} runs commands in the process's own shell;
 * a test gives one of its own, to run a command inside its JVM as a process would run it.
 *
 * @param environment the variables, as {@link System#getenv()} has them
 */
record Shell(Map<String, String> environment, InputStream in, OutputStream out) {
    Shell {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
    }

    /** The process's environment, standard input and standard output. */
    static Shell system() {
        return new Shell(System.getenv(), System.in, System.out);
    }

    /** The shell that the command line {@code spec} is part of runs in. */
    static Shell of(CommandSpec spec) {
        return ((Main) spec.root().userObject()).shell;
    }

    /** The variable {@code name}; null when it is unset. */
    String variable(String name) {
        return environment.get(name);
    }

    /** Not the environment's values: {@code TOKENGATE_ADMIN_PASSWORD} is one. */
    @Override
    public String toString() {
        return "Shell[" + environment.size() + " variables]";
    }
}
