package io.tokengate.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Who the caller is and what it may do. */
final class UserEndpoints {
    /** Global permissions only admins hold; every other known permission everyone holds. */
    private static final Map<String, String> ADMIN_PERMISSIONS =
            Map.of("ADMINISTER", "Administer Jira", "SYSTEM_ADMIN", "Jira System Administrators");

    private static final Map<String, String> PERMISSIONS = permissions();
    private static final Set<String> KNOWN = new TreeSet<>(PERMISSIONS.keySet());

    private final Directory directory;

    UserEndpoints(Directory directory) {
        this.directory = directory;
    }

    private static Map<String, String> permissions() {
        Map<String, String> all = new HashMap<>(ADMIN_PERMISSIONS);
        all.put("BROWSE_PROJECTS", "Browse Projects");
        all.put("CREATE_ISSUES", "Create Issues");
        all.put("EDIT_ISSUES", "Edit Issues");
        all.put("ADD_COMMENTS", "Add Comments");
        all.put("WORK_ON_ISSUES", "Work On Issues");
        return Map.copyOf(all);
    }

    /** {@code GET /rest/api/2/myself}, with the caller's groups for {@code expand=groups}. */
    void myself(Exchange exchange) {
        boolean groups = Arrays.stream(exchange.query("expand").orElse("").split(","))
                .anyMatch(e -> e.strip().equalsIgnoreCase("groups"));
        JiraJson json = exchange.json();
        exchange.respond(200, groups ? json.userWithGroups(exchange.user()) : json.user(exchange.user()));
    }

    /**
     * {@code GET /rest/api/2/user?username=NAME}: the user, {@code "active": false} when
     * deactivated; 404 with Jira's message for a deleted one (any other name is a plain user, as
     * everywhere in this demo); 400 without {@code username} (or its successor {@code key}).
     */
    void user(Exchange exchange) {
        Optional<String> name = exchange.query("username").or(() -> exchange.query("key"));
        if (name.isEmpty() || name.get().isBlank()) {
            exchange.fail(400, "The username query parameter was not provided");
            return;
        }
        if (directory.removed(name.get())) {
            exchange.fail(404, "The user named '" + name.get() + "' does not exist");
            return;
        }
        exchange.respond(200, exchange.json().user(name.get()));
    }

    /**
     * {@code GET /rest/api/2/mypermissions?permissions=A,B}: whether the caller holds each; all
     * known permissions without the parameter, 400 for an unknown one.
     */
    void myPermissions(Exchange exchange) {
        List<String> keys = new ArrayList<>();
        for (String key : exchange.query("permissions").orElse("").split(",")) {
            if (!key.isBlank()) {
                keys.add(key.strip().toUpperCase(Locale.ROOT));
            }
        }
        if (keys.isEmpty()) {
            keys.addAll(KNOWN);
        }
        List<String> unknown =
                keys.stream().filter(k -> !PERMISSIONS.containsKey(k)).toList();
        if (!unknown.isEmpty()) {
            exchange.fail(400, "Unknown permissions: " + unknown + "; known: " + KNOWN);
            return;
        }
        boolean admin = directory.person(exchange.user()).admin();
        ObjectNode body = JiraJson.MAPPER.createObjectNode();
        ObjectNode permissions = body.putObject("permissions");
        for (String key : keys) {
            ObjectNode permission = permissions.putObject(key);
            permission.put("key", key);
            permission.put("name", PERMISSIONS.get(key));
            permission.put("type", ADMIN_PERMISSIONS.containsKey(key) ? "GLOBAL" : "PROJECT");
            permission.put("havePermission", admin || !ADMIN_PERMISSIONS.containsKey(key));
        }
        exchange.respond(200, body);
    }
}
