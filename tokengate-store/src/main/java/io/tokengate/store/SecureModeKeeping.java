package io.tokengate.store;

import io.tokengate.core.TokengateException;
import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.audit.AuditSink;
import io.tokengate.core.token.TokenService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node does about secure mode ({@code token.secure.mode}): at start, a node set to it
 * turns it on for the database and erases the stored secrets, and a node that is not set to it
 * follows a database in it, saying so; while it runs, a node set to it says every {@link #PERIOD}
 * that it keeps secure mode, turns it on again when someone left it ({@code tokengate db
 * leave-secure-mode}), and erases any stored secret a stopped node left (see {@link #keep()}); at
 * a stop it says it no longer keeps it. The cluster thus stays in secure
 * mode while any of its nodes is set to it. Every turn is an audit record ({@code SETTING_CHANGE}).
 *
 * <p>A turn on commits the mode before it erases the stored secrets: a standard node that sealed a
 * secret before the turn and stores it after the erasure reads the mode once it has stored it, and
 * erases the copy itself (see {@code TokenSecrets} in the core); erasing first would leave a gap.
 * Should that node stop before it reads the mode, the next periodic run here erases the copy.
 *
 * <p>The store's {@link Store#secureMode()}: an operator asks it who keeps secure mode and leaves
 * it; the rest is the store's own doing.
 */
public final class SecureModeKeeping {
    /** The store's: log settings that name it keep covering these messages. */
    private static final Logger LOG = LoggerFactory.getLogger(Store.class);
    /** How often a node set to secure mode says so, and turns it on again if it was left. */
    static final Duration PERIOD = Duration.ofMinutes(1);
    /** How long a node's word that it keeps secure mode counts: a late or failed run is no gap. */
    private static final Duration KEEPER_HEARD_WITHIN = PERIOD.multipliedBy(3);
    /** How soon a failed {@link #keep()} is tried again. */
    static final Duration RETRY = Duration.ofSeconds(1);
    /** How long a turn's audit record is waited for before going on. */
    private static final Duration WRITTEN_WAIT = Duration.ofSeconds(5);

    private final JdbcSecureMode table;
    private final TokenService tokens;
    private final AuditSink audit;
    private final boolean secureMode;
    /** The embedded H2 database: locked by this process, so no other node keeps anything. */
    private final boolean embedded;

    private final String nodeId;
    private final Clock clock;
    /** This process among those with the same node name, for {@link #keepers()}. */
    private final String process = UUID.randomUUID().toString();
    /** Whether a periodic run's failure was logged, and the streak has not ended yet. */
    private volatile boolean failing;
    /** Whether a retry of {@link #keepOrRetry} is scheduled: one at a time. */
    private final AtomicBoolean retryPending = new AtomicBoolean();

    SecureModeKeeping(
            JdbcSecureMode table,
            TokenService tokens,
            AuditSink audit,
            boolean secureMode,
            boolean embedded,
            String nodeId,
            Clock clock) {
        this.table = table;
        this.tokens = tokens;
        this.audit = audit;
        this.secureMode = secureMode;
        this.embedded = embedded;
        this.nodeId = nodeId;
        this.clock = clock;
    }

    /**
     * At start, before the audit writer runs: turns secure mode on for the database when this node
     * is set to it, erases the stored secrets when the database is in it, and logs what it found.
     *
     * @return how many stored secrets were erased, when this call turned secure mode on: for {@link
     *     #recordTurnedOn}, once the audit writer runs
     */
    OptionalInt enforceAtStart() {
        boolean turnedOn = secureMode && table.turnOn(clock.instant(), nodeId);
        if (secureMode) {
            table.keeping(process, nodeId, clock.instant());
        }
        int erased = tokens.enforceSecureMode();
        if (secureMode) {
            LOG.info("secure mode is on: {} stored token secrets erased", erased);
        } else {
            table.current()
                    .ifPresent(on -> LOG.warn(
                            "this database is in secure mode since {} (node {} turned it on), and this node follows"
                                    + " it although its token.secure.mode is false: secrets are shown once only."
                                    + " To leave it, see 'tokengate db leave-secure-mode --help'",
                            on.since(),
                            on.node()));
        }
        return turnedOn ? OptionalInt.of(erased) : OptionalInt.empty();
    }

    /**
     * Writes the audit record of {@link #enforceAtStart()} turning secure mode on, and waits for it
     * (as an admin action's answer does): a node killed just after its start must not leave the
     * turn without a record.
     */
    void recordTurnedOn(int erased) {
        recordNow(settingChange(
                "node " + nodeId,
                "secure mode turned on for the database (token.secure.mode): " + erased + " stored secrets erased"));
    }

    /** Records {@code event} and waits (at most {@link #WRITTEN_WAIT}) until it is written. */
    private void recordNow(AuditEvent event) {
        audit.record(event);
        if (!audit.awaitWritten(WRITTEN_WAIT)) {
            LOG.warn(
                    "the audit record of a secure-mode turn is not written after {} s; it stays queued: {}",
                    WRITTEN_WAIT.toSeconds(),
                    event.reason());
        }
    }

    /**
     * The nodes running with {@code token.secure.mode=true} now, as far as the database heard in
     * the last few minutes: each would turn secure mode on again within a minute of its being left.
     * None with the embedded H2 database: H2 locks its file, so while this store has it open no
     * other process runs on it, and any it heard from stopped without saying so (SIGKILL, OOM, a
     * power cut), keeping nothing.
     */
    public List<SecureModeKeeper> keepers() {
        return embedded ? List.of() : table.keepers(clock.instant().minus(KEEPER_HEARD_WITHIN));
    }

    /**
     * Turns secure mode off for the database ({@code tokengate db leave-secure-mode}), with an
     * audit record; nodes whose own {@code token.secure.mode} is true stay in it.
     *
     * @return whether it was on
     */
    public boolean leave(String actor) {
        return leave(actor, List.of());
    }

    /**
     * As {@link #leave(String)}, forced over {@code overridden}: nodes that said lately that they
     * keep secure mode, which the audit record names.
     */
    public boolean leave(String actor, List<SecureModeKeeper> overridden) {
        boolean wasOn = table.turnOff();
        if (wasOn) {
            String forced = overridden.isEmpty()
                    ? ""
                    : ", forced over "
                            + overridden.stream()
                                    .map(SecureModeKeeper::described)
                                    .collect(Collectors.joining(", "));
            recordNow(settingChange(actor, "secure mode turned off for the database" + forced));
        }
        return wasOn;
    }

    /**
     * A node set to secure mode turns it on again for the database when someone left it ({@code db
     * leave-secure-mode}) while this node ran: the cluster stays in secure mode while any of its
     * nodes is set to it, and the secrets stored meanwhile are erased. When it was on already, a
     * secret a stopped node left is erased ({@link #eraseLeftBehind()}).
     *
     * @return whether this call turned it on again
     */
    boolean keep() {
        table.keeping(process, nodeId, clock.instant());
        if (!table.turnOn(clock.instant(), nodeId)) {
            eraseLeftBehind();
            return false;
        }
        int erased = tokens.enforceSecureMode();
        LOG.warn(
                "secure mode was left for the database while this node runs with token.secure.mode=true: turned"
                        + " on again, {} stored secrets erased; set token.secure.mode=false on every node before"
                        + " leaving it",
                erased);
        recordOrLog(settingChange(
                "node " + nodeId,
                "secure mode turned on again for the database: this node runs with token.secure.mode=true; " + erased
                        + " stored secrets erased"));
        return true;
    }

    /**
     * While secure mode is on, erases a stored secret that should not be there: a standard node
     * stores a copy it sealed just before the turn, and erases it once it has read the mode again
     * (see {@code TokenSecrets}); a node that stopped in between (killed, or its database
     * connection lost) left that copy. It is never shown while secure mode is on, but it is kept in
     * the database, which secure mode promises not to do.
     */
    private void eraseLeftBehind() {
        int erased = tokens.enforceSecureMode();
        if (erased == 0) {
            return;
        }
        LOG.warn(
                "secure mode is on, and {} stored token secrets were found and erased: a node stored them as secure"
                        + " mode was turned on, and stopped before it could erase them",
                erased);
        recordOrLog(settingChange(
                "node " + nodeId,
                "secure mode kept: " + erased + " stored secrets erased that a node stored as secure mode was turned"
                        + " on, and left"));
    }

    /** {@link #recordNow}, or only the log when the database is unavailable: the change is done already. */
    private void recordOrLog(AuditEvent event) {
        try {
            recordNow(event);
        } catch (StoreUnavailableException e) {
            // Done already, and not done again at the next run: the log keeps the record.
            LOG.error("unwritten audit record ({}): {}", e.getMessage(), event);
        }
    }

    /**
     * {@link #keep()} now, on {@code work}'s thread, and again every {@link #RETRY} while the
     * database is unavailable, until it succeeds. Run whenever the cluster listener reconnects,
     * besides every {@link #PERIOD}: a node that could not say it keeps secure mode through an
     * outage longer than {@link #KEEPER_HEARD_WITHIN} (a database restart, a partition) would
     * otherwise be missing from {@link #keepers()} for up to a minute after the database answers
     * again, and {@code db leave-secure-mode} would then leave secure mode with no refusal, to have
     * it turned on again by this node. Only a periodic run's failure is logged (the pool may find
     * the database back a few seconds after the listener), and then the end of the streak.
     */
    void keepSoon(ScheduledWork work) {
        work.now(() -> keepOrRetry(work, false));
    }

    /** The periodic run; see {@link #keepSoon}. */
    void keepOrRetry(ScheduledWork work) {
        keepOrRetry(work, true);
    }

    private void keepOrRetry(ScheduledWork work, boolean periodic) {
        try {
            keep();
            if (failing) {
                failing = false;
                LOG.info("this node says again that it keeps secure mode; the database answers again");
            }
        } catch (StoreUnavailableException e) {
            if (periodic && !failing) {
                failing = true;
                LOG.warn(
                        "checking that the database is still in secure mode failed, will retry every {} s: {}",
                        RETRY.toSeconds(),
                        e.getMessage());
            }
            if (retryPending.compareAndSet(false, true)) {
                work.after(RETRY, () -> {
                    retryPending.set(false);
                    keepOrRetry(work, false);
                });
            }
        } catch (RuntimeException e) {
            // The database answers but refuses: trying again at once would not help.
            LOG.warn(
                    "checking that the database is still in secure mode failed, will retry in a minute: {}",
                    e.getMessage());
        }
    }

    /** At a stop: this process keeps secure mode no longer; a failure is only logged. */
    void stop() {
        if (!secureMode) {
            return;
        }
        try {
            table.stoppedKeeping(process);
        } catch (TokengateException e) {
            LOG.warn("could not say that this node stops keeping secure mode: {}", e.getMessage());
        }
    }

    /** The record of a change to the store's settings that {@code actor} made, on this node, now. */
    private AuditEvent settingChange(String actor, String what) {
        return AuditEvent.builder(AuditKind.SETTING_CHANGE, clock.instant())
                .node(nodeId)
                .actor(actor)
                .decision(AuditDecision.ALLOW, what)
                .build();
    }
}
