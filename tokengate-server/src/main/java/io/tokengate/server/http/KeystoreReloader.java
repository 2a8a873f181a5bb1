package io.tokengate.server.http;

import io.tokengate.server.config.TlsKeystore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a renewed certificate without a restart. Every {@code interval} it reads a plane's
 * keystore file ({@code gateway.tls.keystore}, {@code admin.tls.keystore}) again; when the file
 * holds something new that passes the checks of start-up ({@link TlsKeystore#reopen}), new
 * connections get it, and connections already open keep theirs.
 *
 * <p>A file that fails them (half written by a renewal, a new password, an expired certificate) is
 * not used: the certificate in use stays, and a warning says what is wrong, once until that
 * changes. (Jetty's own {@code KeyStoreScanner} reloads on any change of the file, without
 * these checks.)
 */
public final class KeystoreReloader extends AbstractLifeCycle {
    private static final Logger LOG = LoggerFactory.getLogger(KeystoreReloader.class);

    private final SslContextFactory.Server ssl;
    private final Scheduler scheduler;
    private final Duration interval;
    private final Clock clock;
    /** What the connector serves, and the last warning; only the scheduled check uses them. */
    private TlsKeystore inUse;

    private String warned;
    private volatile Scheduler.Task next;

    public KeystoreReloader(
            SslContextFactory.Server ssl, TlsKeystore inUse, Scheduler scheduler, Duration interval, Clock clock) {
        this.ssl = ssl;
        this.inUse = inUse;
        this.scheduler = scheduler;
        this.interval = interval;
        this.clock = clock;
    }

    @Override
    protected void doStart() {
        schedule();
    }

    @Override
    protected void doStop() {
        Scheduler.Task task = next;
        if (task != null) {
            task.cancel();
        }
    }

    private void schedule() {
        if (isRunning() || isStarting()) {
            next = scheduler.schedule(this::check, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Reads the keystore file once, and serves what it holds if that is new and usable. */
    void check() {
        try {
            TlsKeystore found = inUse.reopen(clock.instant());
            if (!found.sameContent(inUse)) {
                ssl.reload(factory -> factory.setKeyStore(found.keyStore()));
                inUse = found;
                LOG.info(
                        "{} changed: new connections get the certificate for {}, expiring {}",
                        found.setting(),
                        String.join(", ", found.names()),
                        found.expires());
            }
            warned = null;
        } catch (IllegalArgumentException problem) {
            if (!problem.getMessage().equals(warned)) {
                LOG.warn("{}; the certificate in use stays until the file is fixed", problem.getMessage());
                warned = problem.getMessage();
            }
        } catch (Exception e) {
            LOG.warn("could not serve the changed {}; the certificate in use stays", inUse.setting(), e);
        } finally {
            schedule();
        }
    }
}
