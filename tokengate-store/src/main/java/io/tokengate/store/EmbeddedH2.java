package io.tokengate.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where the embedded H2 database of a home lives and how it is opened: its directory ({@code
 * HOME/data}, owner only), its URL and the settings in it, and whether another process holds its
 * file. {@link Database} publishes these to the rest of the server.
 */
final class EmbeddedH2 {
    /** The embedded database's name in its directory: files {@code tokengate.mv.db} and so on. */
    static final String NAME = "tokengate";

    private EmbeddedH2() {}

    /** Where the embedded database lives: {@code HOME/data}, absolute. */
    static Path directory(Path home) {
        return home.resolve("data").toAbsolutePath();
    }

    /**
     * Whether another process has the embedded database of {@code home} open: H2 says so at the
     * first connection, but the pool tries again for its whole connection timeout before it gives
     * up, and a command on a home its server holds would wait that long to be told. H2 holds its
     * file under an operating-system lock; H2 is asked only when another process has that lock.
     */
    static boolean lockedElsewhere(Path home, Properties driverProperties) {
        Path file = directory(home).resolve(NAME + ".mv.db");
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                lock.release();
                return false;
            }
        } catch (OverlappingFileLockException e) {
            return false; // this process has it open, and shares it
        } catch (IOException e) {
            return false; // the pool's first connection says what is wrong
        }
        return heldElsewhere(url(home), driverProperties);
    }

    /** Whether the embedded database of {@code home} has been made (by a first start). */
    static boolean exists(Path home) {
        return Files.exists(directory(home).resolve(NAME + ".mv.db"));
    }

    /**
     * The embedded database's URL, chosen for crashes and interrupts:
     *
     * <ul>
     *   <li>{@code retry:} file system: a thread interrupted while H2 reads or writes its file
     *       closes the file (NIO closes an interrupted channel), and without it the database stays
     *       closed, every later call failing until a restart; {@code retry:} reopens the file and
     *       retries. The files are the same as with {@code file:};
     *   <li>{@code DB_CLOSE_ON_EXIT=FALSE}: H2 must not close itself from its own shutdown hook,
     *       since the server's graceful stop, also a shutdown hook, still has to write the audit
     *       queue;
     *   <li>{@code WRITE_DELAY=0}: a commit reaches the file before it returns. With H2's default
     *       of 500 ms a process killed right after a commit loses it, so an acknowledged revoke
     *       could come back to life after a crash (measured: all commits of the last half second
     *       lost). Commits are rare here (token changes, batched audit and usage writes);
     *   <li>{@code MAX_COMPACT_TIME=0}: no chunk compaction while closing. H2 2.3's MVStore
     *       corrupts a file ("Double mark", h2database issues 2752, 4083, 4123) when a database
     *       recovered from a SIGKILL is later closed with compaction: CrashRecoveryIT failed 4 of
     *       10 runs with it and 0 of 16 without. The file may grow somewhat instead;
     *   <li>{@code CACHE_SIZE=1024}: a 1 MiB page cache instead of H2's 16 MiB. The audit writer's
     *       copy-on-write pages live in that cache long enough to be promoted to the old
     *       generation, where they die: with 16 MiB the server ran full collections of 50-85 ms
     *       under load. Measured with {@code bench/ab.sh} (two runs, sides swapped): full-collection
     *       time halved, p99 lower in every round (by 10-20 % at 64 connections, and at one
     *       connection), throughput the same; audit queries on a 1.8 million record log took as
     *       long (bench/README.md, "Session 7"). The tokens themselves are served from the token
     *       cache, not from these pages.
     * </ul>
     */
    static String url(Path home) {
        return "jdbc:h2:retry:" + file(directory(home))
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;MAX_COMPACT_TIME=0;CACHE_SIZE=1024";
    }

    /** The embedded database in {@code directory} (a home's {@code data}, or one set aside), read only. */
    static String readOnlyUrl(Path directory) {
        return "jdbc:h2:file:" + file(directory) + ";ACCESS_MODE_DATA=r;IFEXISTS=TRUE";
    }

    /** The database's file name in {@code directory}, as H2's URLs take it (without extension). */
    private static String file(Path directory) {
        return directory.resolve(NAME).toString().replace('\\', '/');
    }

    /**
     * Makes the embedded database's directory readable by the owner only, as the key file and the
     * backups are: the files hold the audit log, password hashes and encrypted secrets, and H2
     * creates them as the umask says (usually readable by every local user). A directory that
     * cannot be made is left to H2, which names the problem when it opens.
     */
    static void keepToOwner(Path directory) {
        try {
            Files.createDirectories(directory);
            OwnerOnly.restrict(directory);
        } catch (IOException | SecurityException e) {
            // H2 reports it
        }
    }

    /**
     * Whether another process has the embedded database at {@code url} open: H2 says so when a
     * connection is made, but the pool's timeout may not carry that first failure, so one
     * connection is made outside the pool to hear it.
     */
    static boolean heldElsewhere(String url, Properties driverProperties) {
        try (Connection c = DriverManager.getConnection(url, driverProperties)) {
            return false;
        } catch (SQLException e) {
            return SqlErrors.heldByAnotherProcess(e);
        }
    }
}
