package io.tokengate.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tokengate.core.TokengateException;
import io.tokengate.server.config.ConfigException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * Base of the administrative commands: connects ({@link ConnectionOptions}), runs, and maps
 * failures to exit codes: 1 the API refused (its message is printed), or the command did ({@link
 * Refused}: passwords that differ at the prompt), 2 invalid configuration, 3
 * tokengate could not be reached or opened, 64 the API found a value given on the command line
 * invalid (named by its option, not by the API's field).
 */
abstract class AdminCommand implements Callable<Integer> {
    static final int REFUSED = 1;
    static final int CONFIG_INVALID = 2;
    static final int UNAVAILABLE = 3;

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--json", description = "Print the result as JSON, as the admin API answers it.")
    boolean json;

    abstract void run(ApiClient api, PrintWriter out) throws Exception;

    /** Whether this command may create the home it works on offline: the first step of a setup. */
    boolean setsUpAHome() {
        return false;
    }

    /**
     * Why this command needs a running server ({@code --server}), for the message that refuses it
     * offline; null when it works offline on the home too.
     */
    String needsAServer() {
        return null;
    }

    @Override
    public final Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (AdminConnection connected = connection.open(setsUpAHome(), needsAServer())) {
            run(connected.api(), out);
            return 0;
        } catch (ApiClient.ApiException e) {
            if (e.status == 0) {
                err.println("tokengate: " + e.getMessage());
                return UNAVAILABLE;
            }
            if (json && e.body != null) {
                out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(e.body));
            }
            String field = e.body != null && e.body.hasNonNull("field")
                    ? e.body.get("field").asText()
                    : null;
            List<String> byArgument = e.status == 400 && field != null ? byArgument(e, field) : null;
            if (byArgument != null) {
                byArgument.forEach(line -> err.println("tokengate: " + line));
                return Main.USAGE;
            }
            err.println("tokengate: " + e.getMessage()
                    + (field == null || e.getMessage().startsWith(field + ": ") ? "" : " (" + field + ")"));
            return e.status >= 500 ? UNAVAILABLE : REFUSED;
        } catch (ConfigException e) {
            err.println("tokengate: " + e.getMessage());
            return CONFIG_INVALID;
        } catch (Refused e) {
            err.println("tokengate: " + e.getMessage());
            return REFUSED;
        } catch (TokengateException e) {
            err.println("tokengate: " + e.getMessage());
            return UNAVAILABLE;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * Each of the 400's wrong fields as the argument that carried it would name it, a line each
     * ({@code --days: must be …}); null unless every one was carried by an argument given here.
     */
    private List<String> byArgument(ApiClient.ApiException e, String field) {
        JsonNode errors = e.body.path("errors");
        Map<String, String> reasons = new LinkedHashMap<>();
        if (errors.isArray() && !errors.isEmpty()) {
            errors.forEach(error -> reasons.put(
                    error.path("field").asText(),
                    withoutField(
                            error.path("message").asText(), error.path("field").asText())));
        } else {
            reasons.put(field, withoutField(e.getMessage(), field));
        }
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, String> reason : reasons.entrySet()) {
            String argument = argumentGiven(reason.getKey());
            if (argument == null) {
                return null;
            }
            lines.add(argument + ": " + reason.getValue());
        }
        return lines;
    }

    /** The API fields whose option is not named after them: {@code --days N} sends {@code daysUntilExpiry}. */
    private static final Map<String, String> OPTION_NOT_NAMED_AFTER_ITS_FIELD = Map.of("daysUntilExpiry", "--days");

    /**
     * The option or parameter given on this command line that carried the API's {@code field}, by
     * the API's naming: {@code allowedIps} came from {@code --allowed-ips}, {@code limits} from
     * {@code --limits} or {@code --limits-file}, {@code address} from the parameter {@code
     * ADDRESS}; null when none did (a password read from standard input).
     */
    private String argumentGiven(String field) {
        String name = OPTION_NOT_NAMED_AFTER_ITS_FIELD.getOrDefault(
                field, "--" + field.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT));
        ParseResult given = spec.commandLine().getParseResult();
        Optional<String> option = spec.options().stream()
                .map(OptionSpec::longestName)
                .filter(o -> o.equals(name) || o.equals(name + "-file"))
                .filter(given::hasMatchedOption)
                .findFirst();
        return option.orElseGet(() -> spec.positionalParameters().stream()
                .filter(p -> p.paramLabel().equalsIgnoreCase(field))
                .filter(given::hasMatchedPositional)
                .map(PositionalParamSpec::paramLabel)
                .findFirst()
                .orElse(null));
    }

    private static String withoutField(String message, String field) {
        return message.startsWith(field + ": ") ? message.substring(field.length() + 2) : message;
    }

    void printJson(PrintWriter out, JsonNode node) throws JsonProcessingException {
        out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "-" : value.asText();
    }

    /**
     * An instant of the API's answer to the second, for a table a person reads ({@code --json}
     * keeps it whole); {@code -} when there is none, the text as it is when it is no instant.
     */
    static String instant(JsonNode node, String field) {
        String text = text(node, field);
        try {
            return Instant.parse(text).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return text;
        }
    }
}
