package io.tokengate.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under the systemd unit, standard error is the journal's stream, which systemd names in {@code
 * JOURNAL_STREAM}: each text log line then starts with its level's syslog priority ({@code <4>} for
 * a warning), which the journal takes as the entry's priority, so that {@code journalctl -u
 * tokengate -p warning} finds the warnings (under systemd 252 every line was "info"), and without
 * the time, which the journal adds. Anywhere else a line starts with the time, as before. With no
 * terminal, serve does not say that Ctrl-C stops it.
 */
class JournalStreamIT {
    @Test
    void underTheJournalALineCarriesItsPriorityInsteadOfTheTime(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectory(dir.resolve("home"));
        Path journal = Files.createFile(dir.resolve("journal.out"));
        String stream = Files.getAttribute(journal, "unix:dev") + ":" + Files.getAttribute(journal, "unix:ino");

        Process killed = serve(home, journal, stream);
        killed.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // as kill -9: the next start warns
        Process second = serve(home, journal, stream);
        second.destroy();
        second.waitFor(30, TimeUnit.SECONDS);

        List<String> lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
        assertThat(lines)
                .as("the time is the journal's")
                .noneMatch(line -> line.matches("^\\d{4}-\\d{2}-\\d{2}T.*"))
                .anyMatch(line -> line.startsWith("<6>INFO  [main] io.tokengate.store.Store - token store open"))
                .anyMatch(line -> line.startsWith("<4>WARN ") && line.contains("did not stop cleanly"));
        assertThat(lines)
                .as("no terminal to press Ctrl-C at")
                .filteredOn(line -> line.startsWith("tokengate: gateway on "))
                .hasSize(2)
                .noneMatch(line -> line.contains("Ctrl-C"));
    }

    @Test
    void elsewhereALineStartsWithTheTime(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectory(dir.resolve("home"));
        Path output = Files.createFile(dir.resolve("serve.out"));
        Path other = Files.createFile(dir.resolve("other"));
        // A JOURNAL_STREAM inherited from a service, with standard error sent somewhere else.
        String stream = Files.getAttribute(other, "unix:dev") + ":" + Files.getAttribute(other, "unix:ino");

        Process server = serve(home, output, stream);
        server.destroy();
        server.waitFor(30, TimeUnit.SECONDS);

        assertThat(Files.readAllLines(output, StandardCharsets.UTF_8))
                .noneMatch(line -> line.startsWith("<"))
                .anyMatch(line -> line.matches(
                        "^\\d{4}-\\d{2}-\\d{2}T\\S+ INFO  \\[main] io.tokengate.store.Store - token store open.*"));
    }

    /** Starts serve with its output appended to {@code output}, and waits until it listens. */
    private static Process serve(Path home, Path output, String journalStream)
            throws IOException, InterruptedException {
        long before = Files.readString(output).split("gateway on ", -1).length;
        ProcessBuilder builder = ServeProcess.command(home, java.net.URI.create("http://127.0.0.1:9"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("TOKENGATE_"));
        builder.environment().put("JOURNAL_STREAM", journalStream);
        Process process = builder.start();
        process.getOutputStream().close();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Files.readString(output).split("gateway on ", -1).length == before) {
            assertThat(process.isAlive()).as(Files.readString(output)).isTrue();
            assertThat(Instant.now()).as("serve listens within a minute").isBefore(deadline);
            Thread.sleep(100);
        }
        return process;
    }
}
