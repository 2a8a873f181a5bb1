package io.tokengate.store;

import io.tokengate.core.audit.AuditLog;
import io.tokengate.core.audit.AuditSink;
import io.tokengate.core.token.TokenPolicy;
import io.tokengate.core.token.TokenService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of the store: {@link #open(StoreConfig, Clock)} checks the key file, opens
 * and migrates the database, verifies that the key belongs to it, erases stored secrets in secure
 * mode, and starts the background work (cluster listener, usage writer, audit writer,
 * retention). {@link #close()} stops it all gracefully, flushing the audit queue.
 *
 * <p>It wires the parts and answers for them as one; the work is theirs: secure mode is {@link
 * SecureModeKeeping}'s, the counts the nodes add up {@link ClusterCounts}' (shared through {@link
 * ClusterSharing}), health and counters {@link StoreStatus}', the audit log, its writer and upkeep
 * {@link StoreAudit}'s, the periodic runs {@link ScheduledWork}'s.
 */
public final class Store implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Store.class);
    private static final Duration USAGE_FLUSH = Duration.ofSeconds(1);

    private final StoreConfig config;
    private final Clock clock;
    private final Database db;
    private final KeyFile key;
    private final JdbcTokenRepository repository;
    private final TokenService tokens;
    private final CaffeineTokenCache cache;
    private final ClusterSharing cluster;

    private final ClusterListener listener;
    private final UsageAccumulator usage;
    private final StoreAudit audit;
    private final JdbcUserStore users;
    private final UpstreamCredentials upstreamCredentials;
    private final JdbcSessionStore sessions;
    private final SecureModeKeeping secureMode;
    private final StoreStatus status;
    private final ScheduledWork scheduled;

    private Store(StoreConfig config, Clock clock, Database db, KeyFile key) {
        this.config = config;
        this.clock = clock;
        this.db = db;
        this.key = key;
        SecureRandom random = new SecureRandom();
        this.repository = new JdbcTokenRepository(db);
        boolean cluster = db.vendor() == Database.Vendor.POSTGRESQL;
        // Cached tokens may be served always with the single-node H2 database; with PostgreSQL only
        // while the listener would hear about changes made by other nodes.
        ClusterListener[] listenerRef = new ClusterListener[1];
        this.cache = new CaffeineTokenCache(config.cacheTtl(), clock, () -> !cluster || listenerRef[0].isLive());
        // What the nodes of a PostgreSQL cluster add up; null with H2.
        ClusterCounts counts = cluster ? new ClusterCounts(db) : null;
        this.cluster = new ClusterSharing(counts);
        // Reconnected after an outage, a node in secure mode says so at once (see keepSoon).
        Runnable reconnected = config.secureMode() ? this::keepSecureModeSoon : () -> {};
        this.listener = cluster ? new ClusterListener(db, cache, counts, config.nodeId(), reconnected) : null;
        listenerRef[0] = listener;
        this.usage = new UsageAccumulator(repository);
        this.tokens = new TokenService(
                repository,
                cache,
                usage,
                key.digester(),
                key.cipher(random),
                new TokenPolicy(config.secureMode(), config.maxLifetimeDays()),
                clock,
                random);
        this.audit = new StoreAudit(db, config, clock);
        this.users = new JdbcUserStore(db, clock);
        this.upstreamCredentials = new UpstreamCredentials(users, key.cipher(random));
        this.sessions = new JdbcSessionStore(db);
        this.secureMode = new SecureModeKeeping(
                new JdbcSecureMode(db),
                tokens,
                audit.writer(),
                config.secureMode(),
                config.dbUrl() == null,
                config.nodeId(),
                clock);
        this.status = new StoreStatus(db, listener, audit.writer(), cache, usage);
        // Found back by a request or a health probe: the parts that wait seconds between tries of
        // their own try at once, so that the node is ready within moments, not seconds, after.
        db.whenBack(audit.writer()::databaseBack);
        if (listener != null) {
            db.whenBack(listener::databaseBack);
        }
        this.scheduled = new ScheduledWork(config.nodeId());
    }

    /**
     * Opens the store described by {@code config}.
     *
     * @throws KeyFileException when the key file is unusable or does not belong to the database
     * @throws StoreUnavailableException when the database cannot be reached
     */
    public static Store open(StoreConfig config, Clock clock) {
        return open(config, clock, true);
    }

    /**
     * {@link #open(StoreConfig, Clock)}, writing the audit records a stop kept in files ({@link
     * AuditSpill}) only when {@code writeKept}: a restore that may yet be undone leaves them for
     * the next start.
     */
    static Store open(StoreConfig config, Clock clock, boolean writeKept) {
        Database db = Database.open(config);
        try {
            int migrated = db.migrate();
            if (migrated > 0) {
                LOG.info("database schema brought up to date: {} migrations applied", migrated);
            }
            WritableCheck.require(db);
            if (!Files.exists(config.keyFilePath())) {
                KeyCheck.requireFirstStart(db, config.keyFilePath());
            }
            KeyFile key = KeyFile.loadOrCreate(config.keyFilePath(), clock, new SecureRandom());
            KeyCheck.verify(db, key, clock);
            Store store = new Store(config, clock, db, key);
            store.start(writeKept);
            return store;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /**
     * Brings the database schema up to date without starting anything ({@code tokengate db
     * migrate}).
     *
     * @return how many migrations were applied
     */
    public static int migrate(StoreConfig config) {
        try (Database db = Database.open(config)) {
            return db.migrate();
        }
    }

    private void start(boolean writeKept) {
        if (writeKept) {
            audit.writeKept();
        }
        OptionalInt turnedOn = secureMode.enforceAtStart();
        if (listener != null) {
            listener.start();
            if (!listener.awaitLive(config.connectionTimeout().multipliedBy(2))) {
                LOG.warn("token cache listener not connected yet; verifying tokens without the cache until it is");
            }
        }
        audit.writer().start();
        turnedOn.ifPresent(secureMode::recordTurnedOn);
        scheduled.every(USAGE_FLUSH, USAGE_FLUSH, usage::flush);
        audit.scheduleUpkeep(scheduled);
        if (config.secureMode()) {
            scheduled.every(
                    SecureModeKeeping.PERIOD, SecureModeKeeping.PERIOD, () -> secureMode.keepOrRetry(scheduled));
        }
        LOG.info("token store open: {}, key id {}, node {}", db.describe(), key.keyId(), config.nodeId());
    }

    /** What this node shares with the other nodes on a PostgreSQL database; nothing with H2. */
    public ClusterSharing cluster() {
        return cluster;
    }

    /** Who keeps secure mode for the database, and leaving it. */
    public SecureModeKeeping secureMode() {
        return secureMode;
    }

    /** The store's health and counters, for {@code /health/ready} and {@code /metrics}. */
    public StoreStatus status() {
        return status;
    }

    public TokenService tokens() {
        return tokens;
    }

    /** Where audit records go; also gives queue metrics and {@link AuditWriter#flush(Duration)}. */
    public AuditWriter audit() {
        return audit.writer();
    }

    /** The audit sink port, for code that only writes. */
    public AuditSink auditSink() {
        return audit.writer();
    }

    public AuditLog auditLog() {
        return audit.log();
    }

    public JdbcUserStore users() {
        return users;
    }

    /** Users' own upstream credentials, sealed under the key file. */
    public UpstreamCredentials upstreamCredentials() {
        return upstreamCredentials;
    }

    /** The admin plane's sign-in sessions, shared by every node. */
    public JdbcSessionStore sessions() {
        return sessions;
    }

    public String keyId() {
        return key.keyId();
    }

    /**
     * Takes a consistent copy of the embedded database while serving, into {@code HOME/backups}
     * ({@link Backups}).
     *
     * @throws StoreException with PostgreSQL, or when the copy cannot be written
     */
    public Backups.Backup backup() {
        return Backups.write(db, config, clock);
    }

    /** Where a stop keeps the audit records the database did not take, under {@code home}. */
    public static Path unwrittenAuditDirectory(Path home) {
        return AuditSpill.directory(home);
    }

    public Database.Vendor vendor() {
        return db.vendor();
    }

    /**
     * Deletes audit records older than {@code audit.retention.days} (nothing when it is 0). Runs
     * hourly by itself.
     *
     * @return how many records were deleted
     */
    public long runRetention() {
        return audit.runRetention();
    }

    /** Writes the usage gathered so far; normally done every second. */
    void flushUsage() {
        usage.flush();
    }

    /** On the cluster listener's reconnecting: see {@link SecureModeKeeping#keepSoon}. */
    private void keepSecureModeSoon() {
        secureMode.keepSoon(scheduled);
    }

    Database database() {
        return db;
    }

    ClusterListener listener() {
        return listener;
    }

    CaffeineTokenCache cache() {
        return cache;
    }

    /** Stops the background work, writes the audit queue and pending usage, closes the pool. */
    @Override
    public void close() {
        scheduled.stop();
        secureMode.stop();
        try {
            audit.writer().close();
            usage.flush();
        } finally {
            if (listener != null) {
                listener.close();
            }
            db.close();
        }
        LOG.info("token store closed");
    }

    @Override
    public String toString() {
        return "Store[" + db.describe() + ", key id " + key.keyId() + ", node " + config.nodeId() + "]";
    }
}
