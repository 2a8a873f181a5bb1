package io.tokengate.server.config;

import io.tokengate.store.Backups;
import io.tokengate.store.Database;
import io.tokengate.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Whether this process may read and write what it keeps in its home: the home itself, the key
 * file, the embedded database, the logs, backups and unwritten audit records. A home made by
 * another user (a first {@code user add} run as root, a restore by root) is the commonest mistake
 * of an installation; found here it is one line naming the fix, where the database would fail
 * with pages of stack traces, or open read-only, and a service manager would restart it in a loop.
 * As root every check passes, as the system then lets it.
 */
final class HomeAccess {
    /** Places listed at most; a home made by another user has many. */
    private static final int MAX_LISTED = 3;

    private HomeAccess() {}

    /** A place this process may not use, and what it may not do there. */
    record Denied(Path path, String cannot) {}

    /** The places in {@code config}'s home this process may not use, in the order found. */
    static List<Denied> denied(TokengateConfig config) {
        Path home = config.home();
        List<Denied> denied = new ArrayList<>();
        check(home, true, denied);
        Path key = config.store().keyFilePath();
        if (Files.exists(key) && !Files.isReadable(key)) {
            denied.add(new Denied(key, "read"));
        }
        if (config.store().dbUrl() == null) {
            checkTree(Database.embeddedDirectory(home), denied);
        }
        config.logDir().ifPresent(logs -> checkTree(logs, denied));
        checkTree(Backups.directory(home), denied);
        checkTree(Store.unwrittenAuditDirectory(home), denied);
        return denied;
    }

    /** One line for each of the first {@code denied} places, naming the fix; a count of the others. */
    static List<String> problems(Path home, List<Denied> denied) {
        String user = System.getProperty("user.name");
        List<String> problems = new ArrayList<>();
        denied.stream()
                .limit(MAX_LISTED)
                .forEach(place -> problems.add(place.path() + " cannot be " + place.cannot() + " by " + user
                        + owner(place.path()) + ": give the home to the user tokengate runs as (chown -R " + user
                        + " " + home.toAbsolutePath() + ")"));
        if (denied.size() > MAX_LISTED) {
            problems.add("and " + (denied.size() - MAX_LISTED) + " more places in " + home.toAbsolutePath() + " that "
                    + user + " cannot read or write");
        }
        return problems;
    }

    /** A directory, and the regular files directly in it, must be readable and writable. */
    private static void checkTree(Path directory, List<Denied> denied) {
        if (!Files.isDirectory(directory) || !check(directory, true, denied)) {
            return;
        }
        try (Stream<Path> files = Files.list(directory)) {
            files.filter(Files::isRegularFile).forEach(file -> check(file, false, denied));
        } catch (IOException e) {
            denied.add(new Denied(directory, "listed"));
        }
    }

    /** @return whether {@code path}, when it exists, may be read and written (and entered) */
    private static boolean check(Path path, boolean directory, List<Denied> denied) {
        if (!Files.exists(path)) {
            return true;
        }
        boolean readable = Files.isReadable(path) && (!directory || Files.isExecutable(path));
        if (!readable || !Files.isWritable(path)) {
            denied.add(new Denied(path, readable ? "written" : "read"));
            return false;
        }
        return true;
    }

    /** " (it belongs to NAME)", or nothing when that cannot be told. */
    private static String owner(Path path) {
        try {
            return " (it belongs to " + Files.getOwner(path).getName() + ")";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
