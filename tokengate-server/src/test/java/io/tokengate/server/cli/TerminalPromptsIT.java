package io.tokengate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.server.GatewayFixture;
import io.tokengate.store.UserRole;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an administrator meets at a terminal, password prompts above all: the command runs in a real
 * pseudo-terminal ({@code script}, from util-linux), so that {@link System#console()} is there and
 * turns echo off, and the test types only once it has seen each prompt, as a person would. What
 * is typed must never show on the terminal.
 */
class TerminalPromptsIT {
    private static final Path JAR = Path.of("target", "tokengate.jar");
    private static final Duration PROMPT_WAIT = Duration.ofSeconds(60);

    @Test
    void addingAUserAsksForTheAdminsPasswordAndTheNewOneTwiceWithoutEchoingThem(@TempDir Path home) throws Exception {
        try (GatewayFixture gw = GatewayFixture.start(home, Map.of(), GatewayFixture.headerUpstream())) {
            Terminal terminal = addUser(gw, "bob", "bobs-password-1", "bobs-password-1");
            String shown = terminal.finish();

            assertThat(terminal.exit()).as(shown).isZero();
            assertThat(shown).contains("bob").doesNotContain("root-password-1").doesNotContain("bobs-password-1");
            assertThat(gw.server.localUsers().authenticate("bob", "bobs-password-1".toCharArray()))
                    .as("the password typed is the one set")
                    .isPresent();
        }
    }

    @Test
    void twoDifferentPasswordsAddNoUser(@TempDir Path home) throws Exception {
        try (GatewayFixture gw = GatewayFixture.start(home, Map.of(), GatewayFixture.headerUpstream())) {
            Terminal terminal = addUser(gw, "carol", "carols-password-1", "carols-passwrod-1");
            String shown = terminal.finish();

            assertThat(terminal.exit()).as(shown).isEqualTo(AdminCommand.REFUSED);
            assertThat(shown)
                    .contains("the passwords differ; nothing was changed")
                    .doesNotContain("carols-pass");
            assertThat(gw.server.localUsers().authenticate("carol", "carols-password-1".toCharArray()))
                    .isEmpty();
        }
    }

    /**
     * At a terminal, serve says that Ctrl-C stops it, and it does: a clean stop, the JVM's exit
     * 130. (Where there is no terminal, as under systemd, it does not say so: JournalStreamIT.)
     */
    @Test
    void serveAtATerminalSaysCtrlCStopsIt(@TempDir Path home) throws Exception {
        try (Terminal terminal = Terminal.run(
                "serve",
                "--home",
                home.toString(),
                "--port",
                "0",
                "--admin-port",
                "0",
                "--upstream",
                "http://127.0.0.1:9")) {
            terminal.await(" (Ctrl-C to stop)");
            terminal.type("\u0003");
            String shown = terminal.finish();

            assertThat(terminal.exit()).as(shown).isEqualTo(130);
            assertThat(shown).contains("token store closed");
        }
    }

    /**
     * {@code tokengate user add NAME} against {@code gw}'s admin plane as its admin root, typing
     * root's password, then {@code password} and {@code again} at the prompts for the new one.
     */
    private static Terminal addUser(GatewayFixture gw, String name, String password, String again) throws IOException {
        gw.server.localUsers().add("root", null, null, UserRole.ADMIN, "root-password-1".toCharArray());
        Terminal terminal = Terminal.run(
                "user", "add", name, "--server", gw.server.adminUri().toString(), "--login", "root");
        terminal.answer("Password for root: ", "root-password-1");
        terminal.answer("New password: ", password);
        terminal.answer("Again: ", again);
        return terminal;
    }

    /** {@code tokengate ARGS} in a pseudo-terminal of its own, typed at. */
    private static final class Terminal implements AutoCloseable {
        private final Process process;
        private final InputStream screen;
        private final OutputStream keyboard;
        private final StringBuilder shown = new StringBuilder();

        private Terminal(Process process) {
            this.process = process;
            this.screen = process.getInputStream();
            this.keyboard = process.getOutputStream();
        }

        static Terminal run(String... args) throws IOException {
            // A process started in the background of a shell without job control (a CI script's
            // "cmd &") inherits SIGINT ignored, and the JVM then keeps it ignored: Ctrl-C would
            // do nothing. A user's terminal never starts tokengate so; env gives it the default.
            List<String> command = new ArrayList<>(List.of(
                    "env",
                    "--default-signal=INT",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-jar",
                    JAR.toAbsolutePath().toString()));
            command.addAll(List.of(args));
            String line = command.stream().map(Terminal::quoted).collect(Collectors.joining(" "));
            // -q: no start and end notes; -e: its exit status is the command's; -f: flushed as written.
            ProcessBuilder builder = new ProcessBuilder("script", "-qefc", line, "/dev/null");
            builder.environment().keySet().removeIf(k -> k.startsWith("TOKENGATE_"));
            builder.redirectErrorStream(true);
            return new Terminal(builder.start());
        }

        /** Waits until {@code prompt} shows, then types {@code typed} and Enter. */
        void answer(String prompt, String typed) throws IOException {
            await(prompt);
            type(typed + "\r");
        }

        /**
         * Waits until what the terminal shows ends with {@code prompt}; reads only what is there, so
         * that a command that waits without showing it fails at the deadline rather than hangs.
         */
        void await(String prompt) throws IOException {
            long deadline = System.nanoTime() + PROMPT_WAIT.toNanos();
            while (!shown.toString().endsWith(prompt)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no prompt '" + prompt + "'; the terminal shows: " + shown);
                }
                if (screen.available() > 0) {
                    shown.append((char) screen.read());
                } else if (!process.isAlive()) {
                    throw new AssertionError("ended before the prompt '" + prompt + "'; the terminal showed: " + shown);
                } else {
                    LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // poll interval
                }
            }
        }

        void type(String keys) throws IOException {
            keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
        }

        /**
         * Everything the terminal showed, once the command has ended; a command that does not end
         * fails the test at the deadline rather than hangs it.
         */
        String finish() throws Exception {
            keyboard.close();
            long deadline = System.nanoTime() + PROMPT_WAIT.toNanos();
            while (process.isAlive()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("still running after its end; the terminal shows: " + shown);
                }
                drain();
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // poll interval
            }
            shown.append(new String(screen.readAllBytes(), StandardCharsets.UTF_8));
            return shown.toString();
        }

        private void drain() throws IOException {
            int ready = screen.available();
            if (ready > 0) {
                shown.append(new String(screen.readNBytes(ready), StandardCharsets.UTF_8));
            }
        }

        int exit() {
            return process.exitValue();
        }

        /** Ends the command if it still runs (a test that failed): no server outlives its test. */
        @Override
        public void close() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }

        private static String quoted(String arg) {
            return "'" + arg.replace("'", "'\\''") + "'";
        }
    }
}
