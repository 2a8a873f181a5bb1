package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** What the user subcommands print alike about users and the tokens bound to them. */
final class UserPrinter {
    private UserPrinter() {}

    /** A user's groups, comma-separated; "-" for none. */
    static String groups(JsonNode user) {
        List<String> names = new ArrayList<>();
        user.path("groups").forEach(group -> names.add(group.asText()));
        return names.isEmpty() ? "-" : String.join(",", names);
    }

    /** "1 active token", "2 active tokens". */
    static String tokens(int count) {
        return count + " active " + (count == 1 ? "token" : "tokens");
    }
}
