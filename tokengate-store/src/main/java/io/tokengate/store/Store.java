package io.tokengate.store;

import io.tokengate.core.audit.AuditLog;
import io.tokengate.core.audit.AuditSink;
import io.tokengate.core.cluster.SharedCounts;
import io.tokengate.core.token.RateExchange;
import io.tokengate.core.token.TokenPolicy;
import io.tokengate.core.token.TokenService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
 * SecureModeKeeping}'s, the counts the nodes add up {@link ClusterCounts}', the audit log's
 * retention {@link AuditUpkeep}'s, the periodic runs {@link ScheduledWork}'s.
 */
public final class Store implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Store.class);
    private static final Duration USAGE_FLUSH = Duration.ofSeconds(1);
    /** When the first retention pass runs, after the start; then every hour. */
    private static final Duration FIRST_RETENTION = Duration.ofMinutes(1);

    private final StoreConfig config;
    private final Clock clock;
    private final Database db;
    private final KeyFile key;
    private final JdbcTokenRepository repository;
    private final TokenService tokens;
    private final CaffeineTokenCache cache;
    /** What the nodes of a PostgreSQL cluster add up; null with H2. */
    private final ClusterCounts counts;

    private final ClusterListener listener;
    private final UsageAccumulator usage;
    private final AuditWriter auditWriter;
    private final JdbcAuditLog auditLog;
    private final AuditSpill spill;
    private final JdbcUserStore users;
    private final UpstreamCredentials upstreamCredentials;
    private final JdbcSessionStore sessions;
    private final SecureModeKeeping secureMode;
    private final AuditUpkeep upkeep;
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
        this.counts = cluster ? new ClusterCounts(db) : null;
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
        this.auditLog = new JdbcAuditLog(db);
        this.spill = new AuditSpill(AuditSpill.directory(config.home()), config.nodeId(), clock);
        this.auditWriter = new AuditWriter(
                auditLog.inserts()::insert,
                config.auditQueueCapacity(),
                config.auditBatchSize(),
                config.auditFlushInterval(),
                config.auditCloseTimeout(),
                config.nodeId(),
                Runtime.getRuntime().maxMemory() / 4,
                spill);
        this.users = new JdbcUserStore(db, clock);
        this.upstreamCredentials = new UpstreamCredentials(users, key.cipher(random));
        this.sessions = new JdbcSessionStore(db);
        this.secureMode = new SecureModeKeeping(
                new JdbcSecureMode(db), tokens, auditWriter, config.secureMode(), config.nodeId(), clock);
        this.upkeep = new AuditUpkeep(auditLog, config.auditRetentionDays(), clock);
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
            spill.writeAll(auditLog.inserts());
        }
        OptionalInt turnedOn = secureMode.enforceAtStart();
        if (listener != null) {
            listener.start();
            if (!listener.awaitLive(config.connectionTimeout().multipliedBy(2))) {
                LOG.warn("token cache listener not connected yet; verifying tokens without the cache until it is");
            }
        }
        auditWriter.start();
        turnedOn.ifPresent(secureMode::recordTurnedOn);
        scheduled.every(USAGE_FLUSH, USAGE_FLUSH, usage::flush);
        if (config.auditRetentionDays() > 0) {
            scheduled.every(FIRST_RETENTION, AuditUpkeep.RETENTION_PERIOD, upkeep::retentionQuietly);
        }
        scheduled.every(AuditUpkeep.STRAYS_PERIOD, AuditUpkeep.STRAYS_PERIOD, upkeep::adoptStraysQuietly);
        if (config.secureMode()) {
            scheduled.every(
                    SecureModeKeeping.PERIOD, SecureModeKeeping.PERIOD, () -> secureMode.keepOrRetry(scheduled));
        }
        LOG.info("token store open: {}, key id {}, node {}", db.describe(), key.keyId(), config.nodeId());
    }

    /**
     * Holds rate-limited tokens to their rate across the cluster: the nodes on this PostgreSQL
     * database tell each other what {@code exchange} let through (see {@link RateExchange}). With
     * H2 there is one node and nothing to exchange.
     */
    public void shareRateLimits(RateExchange exchange) {
        if (counts != null) {
            counts.shareCounts("rates", new RateShare(exchange));
        }
    }

    /**
     * Adds up {@code failures} with the other nodes on this PostgreSQL database, so that a client
     * address is throttled for the failed logins it made on any of them. {@code plane} is {@code
     * data} or {@code admin}. With H2 there is one node and nothing to share.
     */
    public void shareLoginFailures(String plane, SharedCounts failures) {
        if (counts != null) {
            counts.shareCounts(plane, failures);
        }
    }

    /**
     * The nodes running with {@code token.secure.mode=true} now, as far as the database heard in
     * the last few minutes: each would turn secure mode on again within a minute of its being left.
     * None with the embedded H2 database: H2 locks its file, so while this store has it open no
     * other process runs on it, and any it heard from stopped without saying so (SIGKILL, OOM, a
     * power cut), keeping nothing.
     */
    public List<SecureModeKeeper> secureModeKeepers() {
        return config.dbUrl() == null ? List.of() : secureMode.keepers();
    }

    /**
     * Lifts the login throttle of {@code address} on {@code planes} ({@code data}, {@code admin})
     * on every node of this PostgreSQL database: each forgets the address's failed logins (see
     * {@link SharedCounts#forget}) within a fraction of a second. The caller forgets them on this
     * node itself, at once. With H2 there is one node and no other to tell.
     *
     * @return whether other nodes were told: false with H2
     * @throws StoreUnavailableException when the database does not answer; no node was told
     */
    public boolean forgetLoginFailures(List<String> planes, String address) {
        if (counts == null) {
            return false;
        }
        counts.forget(planes, address);
        return true;
    }

    /**
     * Turns secure mode off for the database ({@code tokengate db leave-secure-mode}), with an
     * audit record; nodes whose own {@code token.secure.mode} is true stay in it.
     *
     * @return whether it was on
     */
    public boolean leaveSecureMode(String actor) {
        return leaveSecureMode(actor, List.of());
    }

    /**
     * As {@link #leaveSecureMode(String)}, forced over {@code overridden}: nodes that said lately
     * that they keep secure mode, which the audit record names.
     */
    public boolean leaveSecureMode(String actor, List<SecureModeKeeper> overridden) {
        return secureMode.leave(actor, overridden);
    }

    public TokenService tokens() {
        return tokens;
    }

    /** Where audit records go; also gives queue metrics and {@link AuditWriter#flush(Duration)}. */
    public AuditWriter audit() {
        return auditWriter;
    }

    /** The audit sink port, for code that only writes. */
    public AuditSink auditSink() {
        return auditWriter;
    }

    public AuditLog auditLog() {
        return auditLog;
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

    /** Pings the database (up to 1 s); for {@code /health/ready}, never for the request path. */
    public StoreHealth health() {
        boolean reachable = db.ping(Duration.ofSeconds(1));
        StoreHealth.Listener state = listener == null
                ? StoreHealth.Listener.NOT_NEEDED
                : listener.isLive() ? StoreHealth.Listener.LIVE : StoreHealth.Listener.DOWN;
        StringBuilder problem = new StringBuilder();
        if (!reachable) {
            problem.append("database unreachable (").append(db.describe()).append("); ");
        }
        if (state == StoreHealth.Listener.DOWN) {
            problem.append(listener.problem()).append(" (token cache bypassed); ");
        }
        boolean auditFull = auditWriter.full();
        if (auditFull) {
            problem.append("audit queue full; ");
        }
        boolean auditFailing = auditWriter.failing();
        if (auditFailing) {
            problem.append("audit records cannot be written; ");
        }
        return new StoreHealth(reachable, state, problem.toString().replaceAll("; $", ""), auditFull, auditFailing);
    }

    public StoreMetrics metrics() {
        return new StoreMetrics(
                cache.hits(),
                cache.misses(),
                cache.bypassed(),
                cache.size(),
                auditWriter.queued(),
                auditWriter.capacity(),
                auditWriter.written(),
                auditWriter.writeFailures(),
                auditWriter.dropped(),
                usage.pendingTokens());
    }

    /**
     * Deletes audit records older than {@code audit.retention.days} (nothing when it is 0). Runs
     * hourly by itself.
     *
     * @return how many records were deleted
     */
    public long runRetention() {
        return upkeep.runRetention();
    }

    /** See {@link SecureModeKeeping#keep()}; runs every minute by itself in secure mode. */
    boolean keepSecureMode() {
        return secureMode.keep();
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
            auditWriter.close();
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
