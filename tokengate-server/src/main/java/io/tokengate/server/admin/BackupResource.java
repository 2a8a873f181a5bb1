package io.tokengate.server.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.store.Backups;
import io.tokengate.store.Database;
import io.tokengate.store.Store;
import io.tokengate.store.StoreException;
import io.tokengate.store.StoreUnavailableException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /api/v1/backups} (admins): a consistent copy of the embedded database, taken while
 * the gateway serves, written under {@code HOME/backups} on the server ({@link Backups}); audited.
 * Not the key file, which is kept apart. {@code ?keep=N} then deletes all but the newest N
 * backups there, for a nightly job. With PostgreSQL, 409: its own tools back it up.
 */
final class BackupResource {
    static final String KEY_FILE_NOTE =
            "The key file is not in the backup: keep a copy of HOME/tokengate.key apart from it; a restored"
                    + " database works only with it.";

    static final int MAX_KEEP = 10_000;

    private final Store store;
    private final Path home;
    private final AdminAudit audit;

    BackupResource(Store store, Path home, AdminAudit audit) {
        this.store = store;
        this.home = home;
        this.audit = audit;
    }

    void routes(Router router) {
        router.add("POST", "/api/v1/backups", this::create);
    }

    private void create(ApiExchange ex) {
        AdminAudit.Action action = audit.begin(ex, AuditKind.BACKUP);
        ex.requireAdmin("Backing up the database");
        ex.allowQuery("keep");
        Optional<Integer> keep = ex.intQuery("keep", 1, MAX_KEEP);
        if (store.vendor() != Database.Vendor.H2) {
            throw ApiError.conflict("The database is PostgreSQL: back it up with its own tools (pg_dump).");
        }
        Backups.Backup backup;
        List<String> removed;
        try {
            backup = store.backup();
            removed = keep.map(n -> Backups.prune(home, n)).orElse(List.of());
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (StoreException e) {
            throw new ApiError(500, "The backup was not written: " + e.getMessage(), null, null);
        }
        action.allow(
                201,
                "backup " + backup.file().getFileName() + " (" + backup.bytes() + " bytes)"
                        + (removed.isEmpty() ? "" : "; removed " + String.join(", ", removed)));
        ObjectNode json = Json.object();
        json.put("file", backup.file().toString());
        json.put("bytes", backup.bytes());
        json.put("createdAt", backup.createdAt().toString());
        removed.forEach(json.putArray("removed")::add);
        json.put("note", KEY_FILE_NOTE);
        ex.send(201, json);
    }
}
