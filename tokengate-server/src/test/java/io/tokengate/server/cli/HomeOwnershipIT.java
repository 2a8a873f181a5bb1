package io.tokengate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first installation's commonest mistake: the home's files made by root (a first {@code user
 * add} without {@code sudo -u tokengate}), the service run as its own user. Said in one line per
 * place, naming the fix, as an invalid configuration (2), which a service manager does not restart
 * in a loop; before, the key file's path twice, a database that "does not exist yet", and pages of
 * stack traces with exit 3. Needs root, to be another user ({@code nobody}).
 */
class HomeOwnershipIT {
    private static final Path JAR = Path.of("target", "tokengate.jar").toAbsolutePath();
    private static final int NOBODY = 65534;

    private record Result(int exit, String out, String err) {}

    private static Result run(boolean asNobody, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (asNobody) {
            command.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        }
        command.addAll(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("TOKENGATE_"));
        Process process = builder.start();
        process.getOutputStream().write("root-password-1\n".getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), out, err);
    }

    private static boolean canBeAnotherUser() throws IOException, InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return false;
        }
        try {
            return new ProcessBuilder("setpriv", "--version").start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aHomeWhoseFilesRootMadeIsOneLineNamingTheFix(@TempDir Path home) throws Exception {
        assumeTrue(canBeAnotherUser(), "runs as root, with setpriv, to be another user");
        Files.writeString(home.resolve("tokengate.properties"), "upstream.url=http://127.0.0.1:9\n");
        Result added = run(false, "user", "add", "root", "--admin", "--password-stdin", "--home", home.toString());
        assertThat(added.exit()).as(added.err()).isZero();
        // The service's home is its own; what root made in it is not.
        Files.setAttribute(home, "unix:uid", NOBODY);
        Files.setAttribute(home, "unix:gid", NOBODY);

        Result checked = run(true, "config", "check", "--home", home.toString());
        assertThat(checked.exit()).as(checked.out() + checked.err()).isEqualTo(2);
        assertThat(checked.out())
                .contains(home.resolve("tokengate.key") + " cannot be read by nobody (it belongs to root)")
                .contains("give the home to the user tokengate runs as (chown -R nobody " + home.toAbsolutePath() + ")")
                .as("what nobody cannot read is not taken for absent")
                .contains("warning: database not checked: " + home.resolve("data") + " has a problem above")
                .doesNotContain("does not exist yet");

        Result served = run(true, "serve", "--home", home.toString(), "--port", "0", "--admin-port", "0");
        assertThat(served.exit())
                .as("invalid configuration: not restarted in a loop")
                .isEqualTo(2);
        assertThat(served.err())
                .contains("cannot be read by nobody (it belongs to root)")
                .doesNotContain("\tat ")
                .doesNotContain("Exception");
    }

    /**
     * A settings file the service's user cannot read is a problem like any other (exit 2), not the
     * command's failure (exit 64, a bare path); no check looks at the defaults standing in for it.
     */
    @Test
    void aSettingsFileTheServiceCannotReadIsAProblemOfTheSettings(@TempDir Path home) throws Exception {
        assumeTrue(canBeAnotherUser(), "runs as root, with setpriv, to be another user");
        Path file = home.resolve("tokengate.properties");
        Files.writeString(file, "upstream.url=http://127.0.0.1:9\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.setAttribute(home, "unix:uid", NOBODY);
        Files.setAttribute(home, "unix:gid", NOBODY);

        Result checked = run(true, "config", "check", "--home", home.toString());
        assertThat(checked.exit()).as(checked.out() + checked.err()).isEqualTo(2);
        assertThat(checked.out())
                .contains("problem: " + file + " cannot be read")
                .contains("warning: database not checked: tokengate.properties has a problem above")
                .doesNotContain("does not exist yet");
    }
}
