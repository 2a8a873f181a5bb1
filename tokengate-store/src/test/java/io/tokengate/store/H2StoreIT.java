package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The store contract on the embedded H2 file database, in a temp dir. */
class H2StoreIT extends StoreContract {
    @Override
    StoreFixture newFixture() {
        return StoreFixture.h2();
    }

    @Test
    void theEmbeddedDatabaseIsReadableByItsOwnerOnly() throws Exception {
        // Its files hold the audit log, password hashes and encrypted secrets.
        Path data = Database.embeddedDirectory(home);
        java.nio.file.Files.createDirectories(data);
        java.nio.file.Files.setPosixFilePermissions(
                data, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        open();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        java.nio.file.Files.getPosixFilePermissions(data)))
                .isEqualTo("rwx------");
    }

    @Test
    void theEmbeddedDatabaseRunsWithASmallPageCache() throws Exception {
        open();
        try (Connection c = fixture.connect(home);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'CACHE_SIZE'")) {
            // Kilobytes: 1 MiB, not H2's default 16 MiB (see Database.embeddedUrl). H2 lists the
            // setting only when the URL sets it.
            assertThat(rs.next() ? rs.getString(1) : "H2's default").isEqualTo("1024");
        }
    }

    @Test
    void theEmbeddedDatabaseSkipsH2sValueCaches() {
        open();
        // Read by H2 once, when its first class loads: the store must have set it before then.
        assertThat(org.h2.engine.SysProperties.OBJECT_CACHE)
                .as("h2.objectCache (see Database.H2_OBJECT_CACHE)")
                .isFalse();
    }
}
