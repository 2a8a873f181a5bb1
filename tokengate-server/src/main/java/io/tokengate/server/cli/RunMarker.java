package io.tokengate.server.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file in the home ({@value #NAME}) for as long as a server runs on it: written once the server
 * serves, deleted when it has stopped cleanly. One found at start names a run that did not stop so
 * (killed, out of memory, the machine gone), which the log then says, with what that may have cost:
 * nothing else would tell an administrator looking at a restart why records are missing. Its
 * first line starts {@code pid PID,}: the systemd unit's {@code ExecStartPost} waits for that
 * line with its main pid to count the service started (SystemdUnitIT runs it). Its second, {@code
 * admin URL}, says where the server's admin plane answers, for a command run offline on the home
 * it holds to point at ({@link #adminUrl}): the settings may not say, when flags chose the port.
 */
final class RunMarker {
    static final String NAME = "tokengate.running";
    private static final String ADMIN = "admin ";
    private static final Logger LOG = LoggerFactory.getLogger(RunMarker.class);

    private final Path file;

    private RunMarker(Path file) {
        this.file = file;
    }

    /**
     * Says in the log whether the last run on {@code home} stopped uncleanly, then marks this one.
     * A marker that cannot be read or written costs a log line, never the start.
     */
    static RunMarker mark(Path home, URI adminUri) {
        RunMarker marker = new RunMarker(home.resolve(NAME));
        marker.previous()
                .ifPresent(previous -> LOG.warn(
                        "the last run on this home did not stop cleanly ({}; killed, out of memory, or the machine"
                                + " went down): the audit records of the requests it answered in its last moments"
                                + " (about audit.flush.interval.ms of traffic) may be missing; tokens, users and"
                                + " settings are kept",
                        previous));
        try {
            Files.writeString(
                    marker.file,
                    "pid " + ProcessHandle.current().pid() + ", started " + Instant.now() + "\n" + ADMIN + adminUri
                            + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn(
                    "cannot write {}: an unclean stop of this run will not be reported ({})",
                    marker.file,
                    e.toString());
        }
        return marker;
    }

    /** This run stopped cleanly. */
    void clear() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: the next start will report this run as unclean ({})", file, e.toString());
        }
    }

    private Optional<String> previous() {
        try {
            return Files.exists(file)
                    ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)
                            .lines()
                            .findFirst()
                            .orElse("")
                            .strip())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.of("its marker " + file + " cannot be read: " + e);
        }
    }

    /** Where the server running on {@code home} answers on its admin plane, as its marker says; empty if unknown. */
    static Optional<String> adminUrl(Path home) {
        try {
            return Files.readString(home.resolve(NAME), StandardCharsets.UTF_8)
                    .lines()
                    .filter(line -> line.startsWith(ADMIN))
                    .map(line -> line.substring(ADMIN.length()).strip())
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
