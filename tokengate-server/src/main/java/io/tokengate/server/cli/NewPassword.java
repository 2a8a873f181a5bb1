package io.tokengate.server.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A password for the API, and whether this command made it up.
 *
 * @param text the password, as the JSON body carries it
 */
record NewPassword(String text, boolean generated) {
    /** Prints a generated password once, on standard error, after the command succeeded. */
    void showIfGenerated(CommandSpec spec) {
        if (generated) {
            spec.commandLine().getErr().println("password (shown once): " + text);
        }
    }

    @Override
    public String toString() {
        return "NewPassword[" + (generated ? "generated" : "given") + "]"; // never the password
    }

    /**
     * A new password: the first line of standard input with {@code --password-stdin}, else asked
     * twice on the terminal, else (no terminal) generated, for the caller to print once.
     */
    static NewPassword read(boolean fromStdin, Shell shell) throws IOException {
        if (fromStdin) {
            String line = new BufferedReader(new InputStreamReader(shell.in(), StandardCharsets.UTF_8)).readLine();
            return new NewPassword(line == null ? "" : line, false);
        }
        Console console = System.console();
        char[] password = console != null ? prompt(console) : generate();
        try {
            return new NewPassword(new String(password), console == null);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static char[] prompt(Console console) {
        char[] first = console.readPassword("New password: ");
        char[] second = console.readPassword("Again: ");
        if (first == null || !Arrays.equals(first, second)) {
            throw new Refused("the passwords differ; nothing was changed");
        }
        return first;
    }

    private static char[] generate() {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        char[] password = new char[20];
        for (int i = 0; i < password.length; i++) {
            password[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return password;
    }
}
