package io.tokengate.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * {@code %stderrPrefix}: what a line of the text log on standard error starts with. On a terminal
 * or in a file, the time. When standard error is systemd's journal (as under the systemd unit),
 * the syslog priority of the event's level instead ({@code <3>} error, {@code <4>} warning,
 * {@code <6>} info, {@code <7>} debug), which the journal takes and strips, so that {@code
 * journalctl -u tokengate -p warning} shows warnings and errors; and no time, as the journal
 * stamps each line itself. The lines of a stack trace after the first keep the journal's default
 * priority (info).
 */
public final class StderrPrefixConverter extends ClassicConverter {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneId.systemDefault());
    private static final boolean JOURNAL = isJournal(System.getenv("JOURNAL_STREAM"), Path.of("/proc/self/fd/2"));

    @Override
    public String convert(ILoggingEvent event) {
        if (JOURNAL) {
            return "<" + syslogPriority(event.getLevel()) + ">";
        }
        return TIME.format(Instant.ofEpochMilli(event.getTimeStamp())) + " ";
    }

    static int syslogPriority(Level level) {
        if (level.isGreaterOrEqual(Level.ERROR)) {
            return 3;
        }
        if (level.isGreaterOrEqual(Level.WARN)) {
            return 4;
        }
        if (level.isGreaterOrEqual(Level.INFO)) {
            return 6;
        }
        return 7;
    }

    /**
     * Whether {@code stderr} is the journal's stream: systemd sets {@code JOURNAL_STREAM} to its
     * {@code DEVICE:INODE}, inherited by every process started from the service, so it counts only
     * when standard error is that very stream (not, say, a command's output redirected to a file).
     */
    static boolean isJournal(String journalStream, Path stderr) {
        if (journalStream == null || !journalStream.matches("\\d+:\\d+")) {
            return false;
        }
        try {
            Object device = Files.getAttribute(stderr, "unix:dev");
            Object inode = Files.getAttribute(stderr, "unix:ino");
            return journalStream.equals(device + ":" + inode);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return false; // not Linux, or no /proc: not known to be the journal
        }
    }
}
