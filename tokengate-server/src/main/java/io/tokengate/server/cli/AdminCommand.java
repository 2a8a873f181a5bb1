package io.tokengate.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tokengate.core.TokengateException;
import io.tokengate.server.config.ConfigException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Base of the administrative commands: connects ({@link ConnectionOptions}), runs, and maps
 * failures to exit codes: 1 the API refused (its message is printed, with the field), 2 invalid
 * configuration, 3 tokengate could not be reached or opened.
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

    @Override
    public final Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (AdminConnection connected = connection.open(setsUpAHome())) {
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
                    ? " (" + e.body.get("field").asText() + ")"
                    : "";
            err.println("tokengate: " + e.getMessage() + field);
            return e.status >= 500 ? UNAVAILABLE : REFUSED;
        } catch (ConfigException e) {
            err.println("tokengate: " + e.getMessage());
            return CONFIG_INVALID;
        } catch (TokengateException e) {
            err.println("tokengate: " + e.getMessage());
            return UNAVAILABLE;
        } finally {
            out.flush();
            err.flush();
        }
    }

    void printJson(PrintWriter out, JsonNode node) throws JsonProcessingException {
        out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "-" : value.asText();
    }
}
