package io.tokengate.server.config;

import io.tokengate.store.PostgresUrl;
import io.tokengate.store.StoreConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The store's settings ({@code token.*}, {@code audit.*}, {@code db.*}, {@code node.id}, {@code
 * key.file}) as a {@link StoreConfig}. A database URL is refused here when it is of another kind, or
 * carries a password on the command line, or (PostgreSQL) names TLS files that cannot be read or
 * settings the driver does not take ({@link PostgresUrl}); a relative file in it is under the home.
 * The store's own checks of the rest are reported with the other problems.
 */
final class StoreSettings {
    /** A {@code sslpassword=} parameter: the password of the client key ({@code sslkey}). */
    private static final String SSL_PASSWORD = "(?i)[?&]sslpassword=[^&]*";

    private StoreSettings() {}

    static StoreConfig read(ConfigValues values, Path home) {
        StoreConfig.Builder builder = StoreConfig.builder(home)
                .secureMode(values.bool(Key.TOKEN_SECURE_MODE))
                .maxLifetimeDays((int) values.integer(Key.TOKEN_MAX_LIFETIME_DAYS, 0, 36_500))
                .cacheTtl(Duration.ofSeconds(values.integer(Key.TOKEN_CACHE_TTL_SECONDS, 1, 3600)))
                .auditQueue(
                        (int) values.integer(Key.AUDIT_QUEUE_CAPACITY, 16, 10_000_000),
                        (int) values.integer(Key.AUDIT_BATCH_SIZE, 1, 100_000),
                        Duration.ofMillis(values.integer(Key.AUDIT_FLUSH_INTERVAL_MS, 1, 60_000)))
                .auditRetentionDays((int) values.integer(Key.AUDIT_RETENTION_DAYS, 0, 36_500))
                .nodeId(values.get(Key.NODE_ID).orElseGet(StoreSettings::hostName))
                .pool(
                        (int) values.integer(Key.DB_POOL_SIZE, 1, 500),
                        Duration.ofMillis(values.integer(Key.DB_CONNECTION_TIMEOUT_MS, 250, 60_000)));
        Optional<String> database = databaseUrl(values, home);
        Optional<Path> keyFile = values.get(Key.KEY_FILE).map(home::resolve);
        Consumer<StoreConfig.Builder> location = located -> {
            database.ifPresent(url -> located.database(
                    url,
                    values.get(Key.DB_USER).orElse(null),
                    values.get(Key.DB_PASSWORD).orElse(null)));
            keyFile.ifPresent(located::keyFile);
        };
        location.accept(builder);
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            values.problem(e.getMessage());
            // Defaults stand in for what the store refused, not for where the database and the
            // key file are: config check still looks there.
            StoreConfig.Builder defaults = StoreConfig.builder(home);
            location.accept(defaults);
            return defaults.build();
        }
    }

    /** {@code db.url}, with a PostgreSQL URL's files under the home; empty when unset or refused. */
    private static Optional<String> databaseUrl(ConfigValues values, Path home) {
        return values.get(Key.DB_URL).flatMap(url -> {
            boolean onCommandLine = values.source(Key.DB_URL).equals(Settings.COMMAND_LINE);
            if (onCommandLine && EffectiveSetting.carriesPassword(url.replaceAll(SSL_PASSWORD, ""))) {
                values.problem(
                        Key.DB_URL,
                        "--db-url carries a password, which every user of this machine can read in its"
                                + " process list: give it as db.password instead (in " + ConfigLoader.FILE_NAME
                                + ", or TOKENGATE_DB_PASSWORD), with db.user");
                return Optional.empty();
            }
            if (onCommandLine && url.matches(".*" + SSL_PASSWORD + ".*")) {
                // The client key's password has no setting of its own: the URL holds it, out of sight.
                values.problem(
                        Key.DB_URL,
                        "--db-url carries sslpassword (the client key's), which every user of this machine"
                                + " can read in its process list: set db.url in " + ConfigLoader.FILE_NAME
                                + " (or TOKENGATE_DB_URL) instead");
                return Optional.empty();
            }
            if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
                values.problem(
                        Key.DB_URL,
                        "db.url: '" + EffectiveSetting.withoutCredentials(url)
                                + "' is neither jdbc:postgresql: nor jdbc:h2:");
                return Optional.empty(); // not handed on, or the store would report it again in its own words
            }
            String resolved = url;
            if (PostgresUrl.isPostgres(url)) {
                resolved = PostgresUrl.withFilesUnder(url, home);
                List<String> problems = PostgresUrl.problems(resolved);
                if (!problems.isEmpty()) {
                    problems.forEach(problem -> values.problem(Key.DB_URL, problem));
                    return Optional.empty(); // a start would only fail to connect, again and again, saying less
                }
            }
            return Optional.of(resolved);
        });
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "node";
        }
    }
}
