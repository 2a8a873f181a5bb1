package io.tokengate.server.logging;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * The JVM's crash reports ({@code hs_err_pidPID.log}), which the launcher sends to HOME/logs: a
 * service that crashes at every restart (every 5 s under the systemd unit) would write one each
 * time, so serve and demo keep the newest {@value #KEPT}. The directory is the one the JVM was told
 * to write them to ({@code -XX:ErrorFile}), whatever {@code log.dir} says; without that option
 * they go to the working directory, which is left alone.
 */
public final class CrashReports {
    static final int KEPT = 10;
    private static final String NAMED_BY_PID = "hs_err_pid%p.log";
    private static final Pattern REPORT = Pattern.compile("hs_err_pid\\d+\\.log");

    private CrashReports() {}

    /** Deletes all but the newest crash reports where this JVM would write its own. */
    public static void prune() {
        directory().ifPresent(CrashReports::prune);
    }

    /** The directory of {@code -XX:ErrorFile}, when it names reports by process id as the launcher does. */
    static Optional<Path> directory() {
        String errorFile = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .getVMOption("ErrorFile")
                .getValue();
        try {
            Path file = Path.of(errorFile);
            return file.getFileName() != null && file.getFileName().toString().equals(NAMED_BY_PID)
                    ? Optional.ofNullable(file.toAbsolutePath().getParent())
                    : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /**
     * Deletes all but the newest {@value #KEPT} crash reports in {@code dir}. One that cannot be
     * listed or deleted costs a warning, never the start.
     */
    static void prune(Path dir) {
        if (!Files.isDirectory(dir)) {
            return; // the JVM falls back to the working directory, which is not ours to tidy
        }
        List<Path> reports;
        try (Stream<Path> files = Files.list(dir)) {
            reports = files.filter(file ->
                            REPORT.matcher(file.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(
                                    (Path file) -> file.toFile().lastModified())
                            .reversed())
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            LoggerFactory.getLogger(CrashReports.class)
                    .warn("cannot list the crash reports in {}: {}", dir, e.toString());
            return;
        }
        for (Path old : reports.subList(Math.min(KEPT, reports.size()), reports.size())) {
            try {
                Files.deleteIfExists(old);
            } catch (IOException e) {
                LoggerFactory.getLogger(CrashReports.class)
                        .warn("cannot delete the old crash report {}: {}", old, e.toString());
            }
        }
    }
}
