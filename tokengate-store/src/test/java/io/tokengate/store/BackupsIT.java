package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.audit.AuditQuery;
import io.tokengate.core.token.CreatedToken;
import io.tokengate.core.token.TokenEdit;
import io.tokengate.core.token.TokenSpec;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup of the embedded database, taken while it serves, restores into another home that has
 * the same key file; never into one with another key, never over a database without being asked,
 * never under a running server, and a failed restore leaves the home as it was.
 */
class BackupsIT {
    private static final Clock CLOCK = Clock.systemUTC();
    private static final String SESSION = "5e".repeat(32);
    private static final String OPERATOR = "cli/tester";

    @TempDir
    Path original;

    @TempDir
    Path copy;

    private static StoreConfig config(Path home) {
        return StoreConfig.builder(home).pool(4, Duration.ofSeconds(2)).build();
    }

    /** A serving store with one token and one audit record; returns the token and the backup. */
    private record Taken(CreatedToken token, Backups.Backup backup) {}

    private Taken backupWithOneToken() {
        try (Store store = Store.open(config(original), CLOCK)) {
            CreatedToken token = store.tokens().create(TokenSpec.bound("backed up", "alice", "admin"));
            Instant now = Instant.now();
            store.sessions()
                    .create(new AdminSession(
                            SESSION, "root", UserRole.ADMIN, "local", now, now, now.plus(Duration.ofHours(8))));
            store.auditSink()
                    .record(AuditEvent.builder(AuditKind.TOKEN_CREATE, Instant.now())
                            .requestId("req-backup")
                            .token(token.token().id(), "backed up")
                            .decision(AuditDecision.ALLOW, null)
                            .build());
            assertThat(store.audit().flush(Duration.ofSeconds(5))).isTrue();
            return new Taken(token, store.backup());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private void copyKeyFile() throws IOException {
        Files.copy(original.resolve("tokengate.key"), copy.resolve("tokengate.key"));
        Files.setPosixFilePermissions(copy.resolve("tokengate.key"), PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void aBackupTakenWhileServingRestoresWithTheSameKeyFile() throws IOException {
        Taken taken = backupWithOneToken();
        Backups.Backup backup = taken.backup();
        assertThat(backup.file()).startsWith(original.resolve("backups").toAbsolutePath());
        assertThat(backup.file().getFileName().toString()).matches("tokengate-\\d{8}T\\d{6}\\.\\d{3}Z\\.zip");
        assertThat(backup.bytes()).isEqualTo(Files.size(backup.file())).isPositive();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup.file())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(backup.file().getParent())))
                .isEqualTo("rwx------");

        copyKeyFile();
        Backups.Restored restored = Backups.restore(config(copy), backup.file(), false, false, OPERATOR, CLOCK);
        assertThat(restored.setAside()).isEmpty();
        try (Store store = Store.open(config(copy), CLOCK)) {
            assertThat(store.tokens().verify(taken.token().secret())).isPresent();
            assertThat(store.auditLog().query(AuditQuery.all()).events())
                    .extracting(AuditEvent::requestId)
                    .contains("req-backup");
            assertThat(store.sessions().find(SESSION))
                    .as("a session of the backup's time, still unexpired, ends at restore")
                    .isEmpty();
        }
    }

    @Test
    void pruningKeepsTheNewestBackupsAndNothingElseIsTouched() throws IOException {
        Path backups = Files.createDirectories(Backups.directory(original));
        for (String name : List.of(
                "tokengate-20261130T020000.000Z.zip",
                "tokengate-20261129T020000.000Z.zip",
                "tokengate-20261201T020000.000Z.zip",
                "tokengate-20261128T235959.999Z.zip",
                "notes.txt",
                "tokengate-latest.zip")) {
            Files.writeString(backups.resolve(name), name);
        }

        assertThat(Backups.prune(original, 2))
                .containsExactly("tokengate-20261128T235959.999Z.zip", "tokengate-20261129T020000.000Z.zip");
        try (var left = Files.list(backups)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            "tokengate-20261130T020000.000Z.zip",
                            "tokengate-20261201T020000.000Z.zip",
                            "notes.txt",
                            "tokengate-latest.zip");
        }
        assertThat(Backups.prune(original, 2)).isEmpty();
        assertThat(Backups.prune(copy, 1)).as("no backups directory").isEmpty();
        assertThatThrownBy(() -> Backups.prune(original, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBackupThatFailsLeavesNoFileThatLooksLikeOne() throws IOException {
        Instant now = Instant.parse("2026-11-30T07:00:00.123Z");
        Path backups = Files.createDirectories(Backups.directory(original));
        // H2 cannot write its copy where a directory stands: the backup fails half-way.
        Files.createDirectories(backups.resolve(".tokengate-20261130T070000.123Z.zip.partial"));
        try (Store store = Store.open(config(original), Clock.fixed(now, java.time.ZoneOffset.UTC))) {
            assertThatThrownBy(store::backup)
                    .as("the backup's trouble, not the database's: a cron job must not be told to try again")
                    .isNotInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("could not be written")
                    .hasMessageContaining(".partial");
        }
        try (var left = Files.list(backups)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("nothing a listing, a restore or --keep would take for a backup")
                    .noneMatch(name -> name.startsWith("tokengate-"));
        }
    }

    @Test
    void twoBackupsInQuickSuccessionBothLand() {
        try (Store store = Store.open(config(original), CLOCK)) {
            Backups.Backup first = store.backup();
            Backups.Backup second = store.backup();
            assertThat(second.file()).isNotEqualTo(first.file()).isRegularFile();
            assertThat(first.file()).isRegularFile();
        }
    }

    @Test
    void aDatabaseInTheWayIsReplacedOnlyWhenAskedAndKept() throws IOException {
        Taken taken = backupWithOneToken();
        copyKeyFile();
        try (Store store = Store.open(config(copy), CLOCK)) {
            store.tokens().create(TokenSpec.bound("already here", "bob", "admin"));
        }

        assertThatThrownBy(() -> Backups.restore(config(copy), taken.backup().file(), false, false, OPERATOR, CLOCK))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("holds a database; --replace moves it aside");
        try (Store store = Store.open(config(copy), CLOCK)) {
            assertThat(store.tokens().verify(taken.token().secret()))
                    .as("nothing changed")
                    .isEmpty();
        }

        // Records a stop kept in a file wait for the server, not for a restore that may be undone.
        Path kept = new AuditSpill(AuditSpill.directory(copy), "node-1", CLOCK).keep(List.of(AuditWriterIT.event(7)));
        Backups.Restored restored = Backups.restore(config(copy), taken.backup().file(), true, false, OPERATOR, CLOCK);
        assertThat(restored.setAside()).hasValueSatisfying(aside -> {
            assertThat(aside.getFileName().toString()).startsWith("data-replaced-");
            assertThat(aside.resolve(Backups.DATABASE_FILE)).exists();
        });
        assertThat(kept).as("left by the restore").exists();
        assertThat(restored.warnings())
                .as("another home's database: no sign that the backup's token was deleted")
                .containsExactly(
                        "token " + taken.token().token().id() + " (backed up) not in the replaced database,"
                                + " whose audit log does not say it was deleted since the backup: restored as at the backup"
                                + " (expected if that database was another home's; if it was deleted, revoke or delete it"
                                + " again)",
                        "1 token created since the backup is gone: its secret no longer works");
        try (Store store = Store.open(config(copy), CLOCK)) {
            assertThat(store.tokens().verify(taken.token().secret())).isPresent();
            assertThat(store.auditLog().query(AuditQuery.all()).events())
                    .extracting(AuditEvent::requestId)
                    .contains("req-7");
        }
        assertThat(kept).as("written by the next start").doesNotExist();
    }

    /** Tokens made before a backup, then changed each in one way; and the backup taken between. */
    private record Changed(
            CreatedToken kept,
            CreatedToken revoked,
            CreatedToken rotated,
            CreatedToken deleted,
            CreatedToken edited,
            Backups.Backup backup) {}

    private Changed tokensChangedSinceABackup() {
        try (Store store = Store.open(config(original), CLOCK)) {
            CreatedToken kept = store.tokens().create(TokenSpec.bound("kept", "alice", "admin"));
            CreatedToken revoked = store.tokens().create(TokenSpec.bound("revoked", "alice", "admin"));
            CreatedToken rotated = store.tokens().create(TokenSpec.bound("rotated", "alice", "admin"));
            CreatedToken deleted = store.tokens().create(TokenSpec.bound("deleted", "alice", "admin"));
            CreatedToken edited = store.tokens().create(TokenSpec.bound("edited", "alice", "admin"));
            Backups.Backup backup = store.backup();
            store.tokens().revoke(revoked.token().id());
            store.tokens().rotate(rotated.token().id());
            store.tokens().delete(deleted.token().id());
            store.auditSink() // as the admin API records a delete; the restore goes by it
                    .record(AuditEvent.builder(AuditKind.TOKEN_DELETE, Instant.now())
                            .token(deleted.token().id(), "deleted")
                            .decision(AuditDecision.ALLOW, null)
                            .build());
            store.tokens().edit(edited.token().id(), TokenEdit.none().withLimits("GET /rest/api/2/myself"));
            store.tokens().create(TokenSpec.bound("made later", "alice", "admin"));
            return new Changed(kept, revoked, rotated, deleted, edited, backup);
        }
    }

    @Test
    void aRestoreRevokesTheTokensItWouldGiveBackTheirAccessAndAuditsEach() throws IOException {
        Changed changed = tokensChangedSinceABackup();

        Backups.Restored restored =
                Backups.restore(config(original), changed.backup().file(), true, false, OPERATOR, CLOCK);

        assertThat(restored.warnings())
                .containsExactly(
                        "token " + changed.revoked().token().id() + " (revoked) revoked since the backup, restored"
                                + " revoked",
                        "token " + changed.rotated().token().id() + " (rotated) rotated since the backup, restored"
                                + " revoked (the secret of before the rotation no longer works, and the backup holds"
                                + " no newer one): make a new token where one is still needed",
                        "token " + changed.deleted().token().id() + " (deleted) deleted since the backup, restored"
                                + " revoked: delete it again to remove it from the list",
                        "token " + changed.edited().token().id() + " (edited) edited since the backup (limits,"
                                + " allowed addresses, rate limit, expiry or bound user), restored as at the backup:"
                                + " edit it again",
                        "1 token created since the backup is gone: its secret no longer works");
        try (Store store = Store.open(config(original), CLOCK)) {
            for (CreatedToken gone : List.of(changed.revoked(), changed.rotated(), changed.deleted())) {
                assertThat(store.tokens().verify(gone.secret()))
                        .as(
                                "%s: a secret that no longer worked before the restore",
                                gone.token().name())
                        .isEmpty();
            }
            assertThat(store.tokens().verify(changed.kept().secret())).isPresent();
            assertThat(store.tokens().verify(changed.edited().secret())).isPresent();
            assertThat(store.auditLog()
                            .query(AuditQuery.all().withKind(AuditKind.TOKEN_REVOKE))
                            .events())
                    .extracting(AuditEvent::tokenId, AuditEvent::actor, AuditEvent::reason)
                    .containsExactlyInAnyOrder(
                            tuple(
                                    changed.revoked().token().id(),
                                    OPERATOR,
                                    "db restore: revoked since the backup, so restored revoked"),
                            tuple(
                                    changed.rotated().token().id(),
                                    OPERATOR,
                                    "db restore: rotated since the backup, so restored revoked"),
                            tuple(
                                    changed.deleted().token().id(),
                                    OPERATOR,
                                    "db restore: deleted since the backup, so restored revoked"));
        }
    }

    @Test
    void aRestoreToldToReviveRestoresTheTokensAsTheyWereAndNamesThem() throws IOException {
        Changed changed = tokensChangedSinceABackup();

        Backups.Restored restored =
                Backups.restore(config(original), changed.backup().file(), true, true, OPERATOR, CLOCK);

        assertThat(restored.warnings())
                .containsExactly(
                        "token " + changed.revoked().token().id() + " (revoked) revoked since the backup, active again:"
                                + " revoke it again",
                        "token " + changed.rotated().token().id() + " (rotated) rotated since the backup, working with"
                                + " the secret of before the rotation (the newer one no longer): rotate it again",
                        "token " + changed.deleted().token().id() + " (deleted) deleted since the backup, active again:"
                                + " revoke or delete it again",
                        "token " + changed.edited().token().id() + " (edited) edited since the backup (limits,"
                                + " allowed addresses, rate limit, expiry or bound user), restored as at the backup:"
                                + " edit it again",
                        "1 token created since the backup is gone: its secret no longer works");
        assertThat(String.join("\n", restored.warnings()))
                .doesNotContain(changed.kept().token().id().value());
        try (Store store = Store.open(config(original), CLOCK)) {
            for (CreatedToken revived : List.of(changed.revoked(), changed.rotated(), changed.deleted())) {
                assertThat(store.tokens().verify(revived.secret()))
                        .as("%s: what the warning says", revived.token().name())
                        .isPresent();
            }
            assertThat(store.auditLog()
                            .query(AuditQuery.all().withKind(AuditKind.TOKEN_REVOKE))
                            .events())
                    .as("the revoke of before the backup is not in it; the restore revoked nothing")
                    .isEmpty();
        }

        copyKeyFile();
        assertThat(Backups.restore(config(copy), changed.backup().file(), false, false, OPERATOR, CLOCK)
                        .warnings())
                .as("nothing to compare with")
                .containsExactly("tokens revoked, rotated or deleted since the backup work again with their secrets"
                        + " of then; revoke or rotate those again");
    }

    /**
     * A database that cannot be read cannot say which tokens were revoked since the backup: the
     * restore fails closed, and goes on only when told to revive them.
     */
    @Test
    void aRestoreOverADatabaseThatCannotBeReadRevivesNothingUnlessTold() throws IOException {
        Changed changed = tokensChangedSinceABackup();
        Path database = EmbeddedH2.directory(original).resolve(Backups.DATABASE_FILE);
        byte[] corrupt = "not an H2 database ".repeat(1000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Files.write(database, corrupt);

        assertThatThrownBy(
                        () -> Backups.restore(config(original), changed.backup().file(), true, false, OPERATOR, CLOCK))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("the backup was not restored: the database it replaces cannot be read (")
                .hasMessageEndingWith("so the tokens revoked, rotated or deleted since the backup cannot be told, and"
                        + " restored they would work again with their secrets of then. --revive restores it anyway;"
                        + " then revoke or rotate those again");
        assertThat(Files.readAllBytes(database)).as("the home as it was").isEqualTo(corrupt);
        assertThat(original)
                .isDirectoryNotContaining(p -> p.getFileName().toString().startsWith("data-replaced-"));

        Backups.Restored revived =
                Backups.restore(config(original), changed.backup().file(), true, true, OPERATOR, CLOCK);
        assertThat(revived.warnings())
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("could not compare the restored tokens with those of the replaced database (")
                .endsWith("tokens revoked, rotated or deleted since the backup work again with their secrets of then;"
                        + " revoke or rotate those again");
        try (Store store = Store.open(config(original), CLOCK)) {
            assertThat(store.tokens().verify(changed.revoked().secret()))
                    .as("what the warning says")
                    .isPresent();
        }
    }

    @Test
    void aBackupDoesNotRestoreUnderAnotherKeyFileAndTheHomeStaysAsItWas() {
        Taken taken = backupWithOneToken();
        CreatedToken own;
        try (Store store = Store.open(config(copy), CLOCK)) { // its own key file and database
            own = store.tokens().create(TokenSpec.bound("own", "bob", "admin"));
        }

        assertThatThrownBy(() -> Backups.restore(config(copy), taken.backup().file(), true, false, OPERATOR, CLOCK))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("the backup was not restored: ")
                .hasMessageContaining("key");
        assertThat(copy)
                .isDirectoryNotContaining(p -> p.getFileName().toString().startsWith("data-replaced-"));
        try (Store store = Store.open(config(copy), CLOCK)) {
            assertThat(store.tokens().verify(own.secret()))
                    .as("the home's own database is back")
                    .isPresent();
        }
    }

    /**
     * Another process holding the database file (a running server) keeps it. Within one JVM H2
     * shares an open database instead of refusing it, so the other process's lock is taken here
     * by hand, as H2 takes it: {@code AdminCommandsIT} does it with a real server.
     */
    @Test
    void aDatabaseHeldByAnotherProcessIsNotReplaced() throws IOException {
        Taken taken = backupWithOneToken();
        Path file = original.resolve("data").resolve(Backups.DATABASE_FILE);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            assertThatThrownBy(() ->
                            Backups.restore(config(original), taken.backup().file(), true, false, OPERATOR, CLOCK))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("stop the server first");
        }
        assertThat(original)
                .isDirectoryNotContaining(p -> p.getFileName().toString().startsWith("data-replaced-"));
        try (Store store = Store.open(config(original), CLOCK)) {
            assertThat(store.tokens().verify(taken.token().secret())).isPresent();
        }
    }

    @Test
    void onlyABackupIsRestored(@TempDir Path elsewhere) throws IOException {
        Path notZip = Files.writeString(elsewhere.resolve("notes.zip"), "not a zip");
        assertThatThrownBy(() -> Backups.restore(config(copy), notZip, false, false, OPERATOR, CLOCK))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot read " + notZip + " as a backup");

        Path otherZip = elsewhere.resolve("other.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(otherZip))) {
            zip.putNextEntry(new ZipEntry("photo.jpg"));
            zip.write(new byte[] {1, 2, 3});
            zip.closeEntry();
        }
        assertThatThrownBy(() -> Backups.restore(config(copy), otherZip, false, false, OPERATOR, CLOCK))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("is not a tokengate backup");
        assertThat(copy.resolve("data")).doesNotExist();

        assertThatThrownBy(() ->
                        Backups.restore(config(copy), Path.of("backups/missing.zip"), false, false, OPERATOR, CLOCK))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("no such file: ")
                .hasMessageContaining("taken from the current directory");
    }

    /** A restore into a new home that fails (no key file there) leaves no home behind. */
    @Test
    void aFailedRestoreIntoANewHomeLeavesNoHome(@TempDir Path elsewhere) {
        Taken taken = backupWithOneToken();
        Path fresh = elsewhere.resolve("new-home");
        assertThatThrownBy(() -> Backups.restore(config(fresh), taken.backup().file(), false, false, OPERATOR, CLOCK))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("key");
        assertThat(fresh).doesNotExist();
    }

    @Test
    void postgresqlIsBackedUpWithItsOwnTools() throws Exception {
        try (PostgresTestDatabase db = PostgresTestDatabase.create();
                Store store = Store.open(
                        StoreConfig.builder(original)
                                .database(db.url(), null, null)
                                .pool(4, Duration.ofSeconds(2))
                                .build(),
                        CLOCK)) {
            assertThatThrownBy(store::backup).isInstanceOf(StoreException.class).hasMessageContaining("pg_dump");
        }
    }
}
