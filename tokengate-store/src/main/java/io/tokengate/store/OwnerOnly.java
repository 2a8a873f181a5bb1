package io.tokengate.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Makes what tokengate writes under the home readable by its owner only: the embedded database,
 * backups and kept audit records hold password hashes, encrypted secrets and the audit log, the
 * logs who called what from where, and files are otherwise made as the umask says (usually
 * readable by every local user).
 */
public final class OwnerOnly {
    private OwnerOnly() {}

    /** {@code rwx------} for a directory, {@code rw-------} for a file; nothing where POSIX modes are not kept. */
    public static void restrict(Path path) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(
                    path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwx------" : "rw-------"));
        }
    }
}
