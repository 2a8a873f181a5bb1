package io.tokengate.store;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.h2.tools.Restore;

/**
 * Copies of the embedded H2 database: written while it serves ({@code BACKUP TO}, a consistent
 * copy), and restored into a home that no server holds. A copy holds the tokens (their digests,
 * and in standard mode their secrets encrypted under the key file), the users and the audit log,
 * but not the key file: a restored database works only with the key file it was made with, so the
 * key file is kept apart, once (it never changes). PostgreSQL has its own tools ({@code pg_dump}).
 */
public final class Backups {
    /** The database's file name in {@code HOME/data}, and in a backup. */
    static final String DATABASE_FILE = EmbeddedH2.NAME + ".mv.db";

    /** A backup's file name: {@code tokengate-} and the UTC time it was taken. */
    private static final Pattern NAME = Pattern.compile("tokengate-\\d{8}T\\d{6}\\.\\d{3}Z\\.zip");

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    /**
     * A backup written.
     *
     * @param file the zip file, under {@code HOME/backups}
     * @param bytes its size
     * @param createdAt when it was taken
     */
    public record Backup(Path file, long bytes, Instant createdAt) {}

    /**
     * A database restored.
     *
     * @param from the backup
     * @param into the directory the database is now in ({@code HOME/data})
     * @param setAside where the database it replaced was moved, if there was one
     * @param warnings what the restore did or undid about tokens: those revoked, rotated or deleted
     *     since the backup restored revoked, or working again (see {@link RestoredTokens})
     */
    public record Restored(Path from, Path into, Optional<Path> setAside, List<String> warnings) {
        public Restored {
            warnings = List.copyOf(warnings);
        }
    }

    private Backups() {}

    /** Where backups are written: {@code HOME/backups}, readable by the owner only. */
    public static Path directory(Path home) {
        return home.resolve("backups");
    }

    /**
     * Deletes all but the newest {@code keep} backups in {@code HOME/backups}: the files named as
     * {@link #write} names them, oldest first by the time in their name. Nothing else there is
     * touched.
     *
     * @return the names of the files deleted, oldest first
     * @throws StoreException when the directory cannot be read or a file cannot be deleted
     */
    public static List<String> prune(Path home, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep at least one backup, not " + keep);
        }
        Path directory = directory(home);
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (var files = Files.list(directory)) {
            List<Path> backups = files.filter(
                            p -> NAME.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
            List<String> removed = new ArrayList<>();
            for (Path old : backups.subList(0, Math.max(0, backups.size() - keep))) {
                Files.delete(old);
                removed.add(old.getFileName().toString());
            }
            return removed;
        } catch (IOException e) {
            throw new StoreException("cannot prune the backups in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Takes a backup of the serving database {@code db} into {@code HOME/backups}. */
    static Backup write(Database db, StoreConfig config, Clock clock) {
        if (db.vendor() != Database.Vendor.H2) {
            throw new StoreException(
                    "backups are for the embedded H2 database; back up PostgreSQL with its own tools (pg_dump)", null);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Path file = directory(config.home())
                .resolve("tokengate-" + STAMP.format(now) + ".zip")
                .toAbsolutePath();
        try {
            ownerOnlyDirectory(file.getParent());
            if (Files.exists(file)) {
                throw new StoreException("a backup was already taken this millisecond: " + file, null);
            }
        } catch (IOException e) {
            throw new StoreException("cannot write backups in " + file.getParent() + ": " + e.getMessage(), e);
        }
        // Written under a name no listing or pruning counts, secured, then renamed: a backup that
        // fails half-way (a full disk) leaves no file that looks like a good one.
        Path partial = file.resolveSibling("." + file.getFileName() + ".partial");
        try {
            // H2 reports a file it cannot write as its own storage failing, which reads as "the
            // database is unavailable": try the file first, so that the backup's trouble is named.
            Files.delete(Files.createFile(partial));
            db.read("writing a backup", c -> {
                try (var statement = c.createStatement()) {
                    statement.execute("BACKUP TO '" + partial.toString().replace("'", "''") + "'");
                }
                return null;
            });
            OwnerOnly.restrict(partial);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            return new Backup(file, Files.size(file), now);
        } catch (IOException e) {
            throw new StoreException(
                    "the backup " + file + " could not be written: "
                            + (e instanceof AccessDeniedException ? "permission denied on " : "")
                            + e.getMessage(),
                    e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                // nothing more to do; the name marks it as unfinished
            }
        }
    }

    private static void ownerOnlyDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            try {
                Files.createDirectories(directory);
                OwnerOnly.restrict(directory);
            } catch (FileAlreadyExistsException e) {
                throw new IOException(directory + " exists and is not a directory", e);
            }
        }
    }

    /**
     * Restores the backup {@code zip} as the embedded database of {@code config}'s home, which no
     * server may hold. A database already there is moved aside, never deleted, and only with
     * {@code replace}. The restored database is then opened once, which brings its schema up to
     * date and checks that it belongs to the home's key file, and the admin sessions of the
     * backup's time are ended: whoever signs in again does so now. A database replaced is
     * compared with the restored one, and the tokens revoked, rotated or deleted since the backup
     * are restored revoked, each with an audit record by {@code actor}, unless {@code revive} (see
     * {@link RestoredTokens}). If the database does not belong to the key file, cannot be opened,
     * or those tokens cannot be revoked, the home is left as it was.
     *
     * @throws StoreException saying what is wrong, with nothing changed
     */
    public static Restored restore(
            StoreConfig config, Path zip, boolean replace, boolean revive, String actor, Clock clock) {
        if (config.dbUrl() != null) {
            throw new StoreException(
                    "db.url names another database: a backup is restored into the embedded one in HOME/data only",
                    null);
        }
        requireBackup(zip);
        Path data = EmbeddedH2.directory(config.home());
        Optional<Path> aside = Optional.empty();
        if (Files.exists(data.resolve(DATABASE_FILE))) {
            if (!replace) {
                throw new StoreException(
                        data + " holds a database; --replace moves it aside (it is kept) and restores the backup",
                        null);
            }
            requireNotServing(config);
            aside = Optional.of(data.resolveSibling("data-replaced-" + STAMP.format(clock.instant())));
            move(data, aside.get());
        }
        boolean created = !Files.exists(data);
        boolean homeCreated = !Files.exists(config.home());
        List<String> unknown = List.of(RestoredTokens.unknown());
        List<String> warnings;
        try {
            Files.createDirectories(data);
            Restore.execute(zip.toString(), data.toString(), EmbeddedH2.NAME);
            try (Store restored = Store.open(config, clock, false)) { // kept audit records wait for the server
                restored.sessions().deleteAll();
            }
            warnings = aside.isPresent()
                    ? RestoredTokens.settle(config, data, aside.get(), revive, actor, clock)
                    : unknown;
        } catch (IOException | RuntimeException e) {
            undo(data, aside, created, e);
            if (homeCreated) {
                deleteIfEmpty(config.home(), e);
            }
            throw e instanceof StoreException store
                    ? new StoreException("the backup was not restored: " + store.getMessage(), e)
                    : new StoreException("the backup was not restored: " + e.getMessage(), e);
        }
        return new Restored(zip, data, aside, warnings);
    }

    /** Fails unless {@code zip} is a zip file holding a tokengate database. */
    private static void requireBackup(Path zip) {
        if (!Files.isRegularFile(zip)) {
            throw new StoreException(
                    "no such file: " + zip.toAbsolutePath()
                            + (zip.isAbsolute() ? "" : " (a relative path is taken from the current directory)"),
                    null);
        }
        try (ZipFile file = new ZipFile(zip.toFile())) {
            ZipEntry database = file.getEntry(DATABASE_FILE);
            if (database == null || file.size() != 1) {
                throw new StoreException(
                        zip + " is not a tokengate backup: it should hold " + DATABASE_FILE + " only", null);
            }
        } catch (IOException e) {
            throw new StoreException("cannot read " + zip + " as a backup: " + e.getMessage(), e);
        }
    }

    /** Opening the database fails while a server holds its file. */
    /**
     * Fails when another process, a running server say, holds the database: H2 says so when asked
     * for a connection ({@link EmbeddedH2#heldElsewhere}). Opening the whole store instead took a
     * database that cannot be read (a corrupt file, a usual reason to restore) for one a server
     * holds.
     */
    private static void requireNotServing(StoreConfig config) {
        if (EmbeddedH2.heldElsewhere(
                EmbeddedH2.url(config.home()),
                ConnectionSettings.driver(Database.Vendor.H2, config.connectionTimeout(), false))) {
            throw new StoreException(
                    "the database in " + config.home().toAbsolutePath()
                            + " is held by another process (a running server?): stop the server first",
                    null);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new StoreException("cannot move " + from + " aside to " + to + " in one step", e);
        } catch (IOException e) {
            throw new StoreException("cannot move " + from + " aside to " + to + ": " + e.getMessage(), e);
        }
    }

    /** Leaves no home behind that only the failed restore made. */
    private static void deleteIfEmpty(Path home, Exception failure) {
        try (var entries = Files.list(home)) {
            if (entries.findAny().isEmpty()) {
                Files.delete(home);
            }
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** Puts the home back as it was before a failed restore. */
    private static void undo(Path data, Optional<Path> aside, boolean created, Exception failure) {
        try {
            if (aside.isPresent() || created) { // the whole directory is the restore's
                try (var files = Files.walk(data)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            } else {
                Files.deleteIfExists(data.resolve(DATABASE_FILE));
            }
            if (aside.isPresent()) {
                Files.move(aside.get(), data, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
