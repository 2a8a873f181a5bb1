package io.tokengate.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@link Store#open} needs, loaded once by the server from {@code tokengate.properties},
 * environment and flags. Validated as a whole: every problem is reported in one exception. Build
 * with {@link #builder(Path)}; {@link #toString()} never prints the database password.
 *
 * @param home {@code TOKENGATE_HOME}: holds the key file and the embedded database
 * @param dbUrl a {@code jdbc:postgresql://} URL; null for the embedded H2 database in {@code
 *     home/data}
 * @param dbUser database user; null to use the URL's
 * @param dbPassword database password; null to use the URL's
 * @param keyFile the key file; null for {@code home/tokengate.key}
 * @param secureMode {@code token.secure.mode}
 * @param maxLifetimeDays {@code token.max.lifetime.days}, 0 = unlimited
 * @param cacheTtl how long a verified token may be served from the cache at most (backstop for the
 *     cluster invalidation)
 * @param auditQueueCapacity audit records that may wait for the writer; beyond, reservations fail
 * @param auditBatchSize most records written in one transaction
 * @param auditFlushInterval longest time a record waits for its batch to fill
 * @param auditRetentionDays {@code audit.retention.days}: records older than this are deleted; 0
 *     keeps them forever
 * @param nodeId this node's name, for the audit log and connection names
 * @param poolSize most database connections
 * @param connectionTimeout how long a call waits for a database connection before it fails
 * @param auditCloseTimeout how long a graceful stop waits for the audit queue to drain
 */
public record StoreConfig(
        Path home,
        String dbUrl,
        String dbUser,
        String dbPassword,
        Path keyFile,
        boolean secureMode,
        int maxLifetimeDays,
        Duration cacheTtl,
        int auditQueueCapacity,
        int auditBatchSize,
        Duration auditFlushInterval,
        int auditRetentionDays,
        String nodeId,
        int poolSize,
        Duration connectionTimeout,
        Duration auditCloseTimeout) {

    public StoreConfig {
        List<String> problems = new ArrayList<>();
        if (home == null) {
            problems.add("home: required");
        }
        if (dbUrl != null && !(dbUrl.startsWith("jdbc:postgresql:") || dbUrl.startsWith("jdbc:h2:"))) {
            problems.add("db.url: '" + Database.redact(dbUrl) + "' is not a jdbc:postgresql:// URL");
        }
        if (maxLifetimeDays < 0) {
            problems.add("token.max.lifetime.days: must be 0 (unlimited) or more, got " + maxLifetimeDays);
        }
        if (cacheTtl == null || cacheTtl.isNegative() || cacheTtl.compareTo(Duration.ofHours(1)) > 0) {
            problems.add("token.cache.ttl: must be from 0 (no cache) to 1 hour, got " + cacheTtl);
        }
        if (auditQueueCapacity < 1) {
            problems.add("audit.queue.capacity: must be at least 1, got " + auditQueueCapacity);
        }
        if (auditBatchSize < 1) {
            problems.add("audit.batch.size: must be at least 1, got " + auditBatchSize);
        }
        if (auditFlushInterval == null || auditFlushInterval.isNegative() || auditFlushInterval.isZero()) {
            problems.add("audit.flush.interval: must be positive, got " + auditFlushInterval);
        }
        if (auditRetentionDays < 0) {
            problems.add("audit.retention.days: must be 0 (keep forever) or more, got " + auditRetentionDays);
        }
        if (nodeId == null || !nodeId.matches("[A-Za-z0-9._-]{1,64}")) {
            problems.add("node.id: 1 to 64 letters, digits, '.', '_' or '-', got '" + nodeId + "'");
        }
        if (poolSize < 2) {
            problems.add("db.pool.size: must be at least 2, got " + poolSize);
        }
        if (connectionTimeout == null || connectionTimeout.toMillis() < 250) {
            problems.add("db.connection.timeout: must be at least 250 ms, got " + connectionTimeout);
        }
        if (auditCloseTimeout == null || auditCloseTimeout.isNegative()) {
            problems.add("audit.close.timeout: must not be negative, got " + auditCloseTimeout);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid store configuration: " + String.join("; ", problems));
        }
    }

    /** Defaults for everything but {@code home}. */
    public static Builder builder(Path home) {
        return new Builder(home);
    }

    /** The key file to use: {@link #keyFile()} or {@code home/tokengate.key}. */
    public Path keyFilePath() {
        return keyFile != null ? keyFile : home.resolve("tokengate.key");
    }

    public Builder toBuilder() {
        Builder b = new Builder(home);
        b.dbUrl = dbUrl;
        b.dbUser = dbUser;
        b.dbPassword = dbPassword;
        b.keyFile = keyFile;
        b.secureMode = secureMode;
        b.maxLifetimeDays = maxLifetimeDays;
        b.cacheTtl = cacheTtl;
        b.auditQueueCapacity = auditQueueCapacity;
        b.auditBatchSize = auditBatchSize;
        b.auditFlushInterval = auditFlushInterval;
        b.auditRetentionDays = auditRetentionDays;
        b.nodeId = nodeId;
        b.poolSize = poolSize;
        b.connectionTimeout = connectionTimeout;
        b.auditCloseTimeout = auditCloseTimeout;
        return b;
    }

    @Override
    public String toString() {
        return "StoreConfig[home=" + home + ", dbUrl=" + (dbUrl == null ? "embedded H2" : Database.redact(dbUrl))
                + ", dbUser=" + dbUser + ", dbPassword=" + (dbPassword == null ? "none" : "***") + ", keyFile="
                + keyFilePath() + ", secureMode=" + secureMode + ", maxLifetimeDays=" + maxLifetimeDays
                + ", cacheTtl=" + cacheTtl + ", auditQueueCapacity=" + auditQueueCapacity + ", auditBatchSize="
                + auditBatchSize + ", auditFlushInterval=" + auditFlushInterval + ", auditRetentionDays="
                + auditRetentionDays + ", nodeId=" + nodeId + ", poolSize=" + poolSize + ", connectionTimeout="
                + connectionTimeout + ", auditCloseTimeout=" + auditCloseTimeout + "]";
    }

    /** Builds a {@link StoreConfig}; each setter names the property it stands for. */
    public static final class Builder {
        private final Path home;
        private String dbUrl;
        private String dbUser;
        private String dbPassword;
        private Path keyFile;
        private boolean secureMode;
        private int maxLifetimeDays;
        private Duration cacheTtl = Duration.ofSeconds(30);
        private int auditQueueCapacity = 65_536;
        private int auditBatchSize = 250;
        private Duration auditFlushInterval = Duration.ofMillis(100);
        private int auditRetentionDays;
        private String nodeId = "node-1";
        private int poolSize = 10;
        private Duration connectionTimeout = Duration.ofSeconds(5);
        private Duration auditCloseTimeout = Duration.ofSeconds(30);

        private Builder(Path home) {
            this.home = Objects.requireNonNull(home, "home");
        }

        /** {@code db.url}, {@code db.user}, {@code db.password}. */
        public Builder database(String url, String user, String password) {
            this.dbUrl = url;
            this.dbUser = user;
            this.dbPassword = password;
            return this;
        }

        /** {@code key.file}. */
        public Builder keyFile(Path keyFile) {
            this.keyFile = keyFile;
            return this;
        }

        /** {@code token.secure.mode}. */
        public Builder secureMode(boolean secureMode) {
            this.secureMode = secureMode;
            return this;
        }

        /** {@code token.max.lifetime.days}. */
        public Builder maxLifetimeDays(int days) {
            this.maxLifetimeDays = days;
            return this;
        }

        /** {@code token.cache.ttl}. */
        public Builder cacheTtl(Duration ttl) {
            this.cacheTtl = ttl;
            return this;
        }

        /** {@code audit.queue.capacity}, {@code audit.batch.size}, {@code audit.flush.interval}. */
        public Builder auditQueue(int capacity, int batchSize, Duration flushInterval) {
            this.auditQueueCapacity = capacity;
            this.auditBatchSize = batchSize;
            this.auditFlushInterval = flushInterval;
            return this;
        }

        /** {@code audit.retention.days}. */
        public Builder auditRetentionDays(int days) {
            this.auditRetentionDays = days;
            return this;
        }

        /** {@code audit.close.timeout}. */
        public Builder auditCloseTimeout(Duration timeout) {
            this.auditCloseTimeout = timeout;
            return this;
        }

        /** {@code node.id}. */
        public Builder nodeId(String nodeId) {
            this.nodeId = nodeId;
            return this;
        }

        /** {@code db.pool.size}, {@code db.connection.timeout}. */
        public Builder pool(int size, Duration connectionTimeout) {
            this.poolSize = size;
            this.connectionTimeout = connectionTimeout;
            return this;
        }

        public StoreConfig build() {
            return new StoreConfig(
                    home,
                    dbUrl,
                    dbUser,
                    dbPassword,
                    keyFile,
                    secureMode,
                    maxLifetimeDays,
                    cacheTtl,
                    auditQueueCapacity,
                    auditBatchSize,
                    auditFlushInterval,
                    auditRetentionDays,
                    nodeId,
                    poolSize,
                    connectionTimeout,
                    auditCloseTimeout);
        }
    }
}
