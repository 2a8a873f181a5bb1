package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options {@code token create} and {@code token edit} share, and how they reach the API's body. */
final class TokenFieldOptions {
    private TokenFieldOptions() {}

    /**
     * Limits given as text or read from a file ('-' for stdin), or none on purpose. Text or a file
     * with no rules in it is refused: it is what a script's empty variable or a failed step before
     * it gives, and taken as limits it would let the token call every endpoint. A token with no
     * limits takes saying so ({@code --no-limits}), as one for any address takes leaving {@code
     * --allowed-ips} out.
     */
    static final class LimitsOption {
        @Option(names = "--limits", paramLabel = "TEXT", description = "Restrictions, one rule per line.")
        String text;

        @Option(
                names = "--limits-file",
                paramLabel = "FILE",
                description = "File with the restrictions ('-' for stdin).")
        Path file;

        @Option(names = "--no-limits", description = "No restrictions: the token may call every endpoint served.")
        boolean none;

        String read(Shell shell) throws IOException {
            if (none) {
                return "";
            }
            String read = text != null ? text : readFile(shell);
            if (read.lines().map(String::strip).allMatch(line -> line.isEmpty() || line.startsWith("#"))) {
                throw new IllegalArgumentException((text != null ? "--limits" : "--limits-file")
                        + ": no rules in it; give rules, or --no-limits for a token that may call every endpoint");
            }
            return read;
        }

        private String readFile(Shell shell) throws IOException {
            byte[] bytes = file.toString().equals("-") ? shell.in().readAllBytes() : Files.readAllBytes(file);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Expiry as a date or a number of days. */
    static class ExpiryOption {
        @Option(
                names = "--expires-at",
                paramLabel = "ISO-8601",
                description = "Expiry instant, e.g. 2027-01-31T00:00:00Z.")
        String at;

        @Option(names = "--days", paramLabel = "N", description = "Expire N days from now.")
        Integer days;

        void apply(ObjectNode body) {
            if (at != null) {
                body.put("expiresAt", at);
            } else if (days != null) {
                body.put("daysUntilExpiry", days);
            }
        }
    }

    /** A new expiry, for edit: a date, a number of days, or none (a new token never expires unless told). */
    static final class NewExpiryOption extends ExpiryOption {
        @Option(names = "--no-expiry", description = "Never expire.")
        boolean never;

        @Override
        void apply(ObjectNode body) {
            super.apply(body);
            if (never) {
                body.putNull("expiresAt");
            }
        }
    }

    /**
     * The addresses as typed, for the API to read: separators alone ({@code ","}) are a list gone
     * empty, which it refuses, where dropping the blanks here would send "any address". Nothing at
     * all is refused here: a script's empty variable, not a wish for any address, which takes
     * {@code forAny} (how the command says it).
     */
    static TextNode ips(String csv, String forAny) {
        if (csv.isBlank()) {
            throw new IllegalArgumentException(
                    "--allowed-ips: empty; give addresses or CIDR blocks, or " + forAny + " for any address");
        }
        return TextNode.valueOf(csv);
    }
}
