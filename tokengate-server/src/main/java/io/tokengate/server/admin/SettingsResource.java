package io.tokengate.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokengate.server.config.EffectiveSetting;
import io.tokengate.server.config.Key;
import io.tokengate.server.config.TokengateConfig;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /api/v1/settings} (admins): the configuration in force, every key with its value and
 * source, secrets masked. Read-only: settings change in {@code tokengate.properties}, the
 * environment or flags, and take effect at the next start.
 */
final class SettingsResource {
    private final TokengateConfig config;
    private final BooleanSupplier secureMode;

    /** {@code secureMode}: the mode in force, this node's setting or the database's. */
    SettingsResource(TokengateConfig config, BooleanSupplier secureMode) {
        this.config = config;
        this.secureMode = secureMode;
    }

    void routes(Router router) {
        router.add("GET", "/api/v1/settings", this::show);
    }

    private void show(ApiExchange ex) {
        ex.requireAdmin("The settings view");
        ex.allowQuery();
        ObjectNode json = Json.object();
        json.put("secureMode", secureMode.getAsBoolean());
        json.put("identitySource", config.admin().identitySource().label());
        json.put("maxLifetimeDays", config.store().maxLifetimeDays());
        ArrayNode settings = json.putArray("settings");
        for (EffectiveSetting setting : config.settings()) {
            settings.addObject()
                    .put("key", setting.key().key())
                    .put("value", setting.shownValue())
                    .put("source", setting.source())
                    .put("secret", setting.key().secret())
                    .put("description", description(setting));
        }
        ex.send(200, json);
    }

    /**
     * The key's description; for {@code token.secure.mode} set false on a database in secure mode,
     * also that the database's mode is the one in force, so that the row does not read as the
     * opposite of the page's "secure mode: on".
     */
    private String description(EffectiveSetting setting) {
        String description = setting.key().description();
        if (setting.key() == Key.TOKEN_SECURE_MODE
                && !Boolean.parseBoolean(setting.value())
                && secureMode.getAsBoolean()) {
            return description + "; not in force: secure mode belongs to the database, which has it on"
                    + " (leave it with 'tokengate db leave-secure-mode')";
        }
        return description;
    }
}
