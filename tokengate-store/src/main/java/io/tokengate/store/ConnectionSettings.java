package io.tokengate.store;

import com.zaxxer.hikari.HikariConfig;
import java.time.Duration;
import java.util.Properties;

/**
 * How tokengate connects to its database: the pool's settings (HikariCP) and the JDBC driver's
 * properties, for pooled connections and for a dedicated session such as the cluster listener's.
 * The password goes into these settings only, never into a message.
 */
final class ConnectionSettings {
    /** Longest check of a pooled connection before it is handed out. */
    static final long VALIDATION_MILLIS = 1000;

    private ConnectionSettings() {}

    /**
     * The pool of at most {@code poolSize} connections, each had within {@code connectionTimeout}.
     * On PostgreSQL its sessions carry {@code poolName} (which names the node) as their {@code
     * application_name}, so that an operator tells in {@code pg_stat_activity} which node of a
     * cluster holds a lock or runs a slow query.
     */
    static HikariConfig pool(
            Database.Vendor vendor,
            String url,
            String user,
            String password,
            int poolSize,
            Duration connectionTimeout,
            String poolName) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(url);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        // The pool checks a connection idle for over half a second before handing it out: on a
        // network fallen silent the check waits this long, and the request that asked with it.
        // A database that takes longer than that to answer an empty query is not answering; the
        // cluster listener counts 900 ms of silence as lost too.
        config.setValidationTimeout(Math.max(250, Math.min(connectionTimeout.toMillis(), VALIDATION_MILLIS)));
        // Start even when the database is down: every call fails with a clear message until it is up.
        config.setInitializationFailTimeout(-1);
        driver(vendor, connectionTimeout, true).forEach((k, v) -> config.addDataSourceProperty((String) k, v));
        if (vendor == Database.Vendor.POSTGRESQL) {
            config.addDataSourceProperty("ApplicationName", poolName);
        }
        return config;
    }

    /** The properties of a connection outside the pool, named {@code applicationName} on PostgreSQL. */
    static Properties dedicated(
            Database.Vendor vendor, Duration connectionTimeout, String user, String password, String applicationName) {
        Properties properties = driver(vendor, connectionTimeout, false);
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        if (vendor == Database.Vendor.POSTGRESQL) {
            properties.setProperty("ApplicationName", applicationName);
        }
        return properties;
    }

    /** The driver's properties: timeouts and keep-alive on PostgreSQL, and for the pool more. */
    static Properties driver(Database.Vendor vendor, Duration connectionTimeout, boolean pooled) {
        Properties p = new Properties();
        if (vendor == Database.Vendor.POSTGRESQL) {
            long connectSeconds = Math.max(1, (connectionTimeout.toMillis() + 999) / 1000);
            p.setProperty("connectTimeout", Long.toString(connectSeconds));
            p.setProperty("loginTimeout", Long.toString(connectSeconds));
            p.setProperty("tcpKeepAlive", "true");
            if (pooled) {
                p.setProperty("reWriteBatchedInserts", "true");
                p.setProperty("socketTimeout", "60");
            }
        }
        return p;
    }
}
