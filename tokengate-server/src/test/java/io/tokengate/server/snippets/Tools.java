package io.tokengate.server.snippets;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The programs the snippet tests execute, found the way {@code .ci/setup} installs them. A missing
 * one fails the test with the tool's name and {@code .ci/setup}; only {@code pwsh}, which no
 * Debian repository has, is optional.
 */
final class Tools {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Tools() {}

    /** The program for {@code name} on PATH, or a failed test that says how to install it. */
    static String require(String name, String what, String install) {
        return onPath(name)
                .orElseGet(() -> fail("the snippet tests need '" + name + "' (" + what + ") on PATH to run"
                        + " the generated code, and it is missing: run .ci/setup as root (it installs "
                        + install + ")"));
    }

    static String curl() {
        return require("curl", "the curl snippet", "Debian's curl");
    }

    static String node() {
        String node = require("node", "Node.js 18+ for the JavaScript snippet", "Debian's nodejs");
        Result version = run(null, Map.of(), node, "-p", "process.versions.node");
        int major = Integer.parseInt(version.stdout().strip().split("\\.")[0]);
        if (major < 18) {
            fail("the JavaScript snippet needs Node.js 18 or newer (fetch, btoa); found "
                    + version.stdout().strip() + ": run .ci/setup or install a newer nodejs");
        }
        return node;
    }

    /** Debian's interpreter, where {@code python3-requests} installs, in preference to any other on PATH. */
    static String python() {
        String python = Files.isExecutable(Path.of("/usr/bin/python3"))
                ? "/usr/bin/python3"
                : require("python3", "the Python snippet", "Debian's python3-requests");
        Result probe = run(null, Map.of(), python, "-c", "import requests");
        if (probe.exitCode() != 0) {
            fail("the Python snippet needs the requests package for " + python + ", which is missing: run"
                    + " .ci/setup as root (it installs Debian's python3-requests)\n" + probe.stderr());
        }
        return python;
    }

    /** The {@code java} of the JDK running the tests. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** newman as {@code .ci/setup} installs it: project-local, pinned in {@code .ci/node/package.json}. */
    static String newman() {
        Path newman = repositoryRoot().resolve(".ci/node/node_modules/.bin/newman");
        if (!Files.isExecutable(newman)) {
            fail("the Postman snippet is run with newman, expected at " + newman + " and missing: run .ci/setup"
                    + " (it runs npm ci in .ci/node, which pins newman's version)");
        }
        return newman.toString();
    }

    /** pwsh is in no Debian repository; without it the PowerShell snippet is only checked as text. */
    static Optional<String> pwsh() {
        return onPath("pwsh");
    }

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve(".ci/setup"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            fail("no .ci/setup above " + Path.of("").toAbsolutePath() + ": run the tests inside the repository");
        }
        return dir;
    }

    /**
     * Runs {@code command} in {@code dir} with a UTF-8 locale (as a person's terminal has), at most
     * {@link #TIMEOUT}, and returns what it printed.
     */
    static Result run(Path dir, Map<String, String> env, String... command) {
        try {
            Path out = Files.createTempFile("snippet-run", ".out");
            Path err = Files.createTempFile("snippet-run", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
                if (dir != null) {
                    builder.directory(dir.toFile());
                }
                builder.environment().put("LANG", "C.UTF-8");
                builder.environment().put("LC_ALL", "C.UTF-8");
                builder.environment().put("NO_COLOR", "1");
                builder.environment().putAll(env);
                Process process = builder.start();
                if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    fail(Arrays.toString(command) + " did not finish within " + TIMEOUT);
                }
                return new Result(
                        process.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            return fail("cannot run " + Arrays.toString(command) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while running " + Arrays.toString(command), e);
        }
    }

    private static Optional<String> onPath(String name) {
        List<String> dirs = new ArrayList<>(
                Arrays.asList(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Optional.of(Path.of(dir, name).toString());
            }
        }
        return Optional.empty();
    }

    record Result(int exitCode, String stdout, String stderr) {
        /** Fails unless the program exited with 0. */
        Result succeeded(String what) {
            if (exitCode != 0) {
                fail(what + " exited with " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
            }
            return this;
        }
    }
}
