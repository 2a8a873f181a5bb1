package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokengate.core.token.TokenSecret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {
    @TempDir
    Path dir;

    final SecureRandom random = new SecureRandom();
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));

    @Test
    void createsAnOwnerOnlyFileOnceAndReadsItBack() throws Exception {
        Path path = dir.resolve("home/tokengate.key");
        KeyFile created = KeyFile.loadOrCreate(path, clock, random);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(path)).contains("key.id=" + created.keyId()).contains("created=2026-11-28");
        try (var files = Files.list(path.getParent())) {
            assertThat(files).as("no temp file left").containsExactly(path);
        }

        KeyFile again = KeyFile.loadOrCreate(path, clock, random);
        assertThat(again.keyId()).isEqualTo(created.keyId()).matches("k_[0-9a-f]{12}");
        assertThat(again.fingerprint()).isEqualTo(created.fingerprint());
        TokenSecret secret = TokenSecret.generate(random);
        assertThat(again.digester().digest(secret)).isEqualTo(created.digester().digest(secret));
        assertThat(again.toString()).isEqualTo("KeyFile[" + path + ", key id " + created.keyId() + "]");
    }

    @Test
    void independentKeysPerFile() {
        KeyFile a = KeyFile.loadOrCreate(dir.resolve("a.key"), clock, random);
        KeyFile b = KeyFile.loadOrCreate(dir.resolve("b.key"), clock, random);
        assertThat(a.keyId()).isNotEqualTo(b.keyId());
        assertThat(a.fingerprint()).isNotEqualTo(b.fingerprint());
    }

    @Test
    void refusesAFileOthersCanRead() throws Exception {
        Path path = dir.resolve("tokengate.key");
        KeyFile.loadOrCreate(path, clock, random);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> KeyFile.load(path))
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining("accessible to others (mode rw-r--r--)")
                .hasMessageContaining("chmod 600 " + path);
    }

    @Test
    void aFileNobodyMayReadIsNotTakenForOneOthersMayRead() throws Exception {
        Path path = dir.resolve("tokengate.key");
        KeyFile created = KeyFile.loadOrCreate(path, clock, random);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("---------"));
        if (Files.isReadable(path)) { // root reads it anyway
            assertThat(KeyFile.load(path).keyId()).isEqualTo(created.keyId());
        } else {
            assertThatThrownBy(() -> KeyFile.load(path))
                    .isInstanceOf(KeyFileException.class)
                    .hasMessageContaining("Cannot read the key file " + path);
        }
    }

    @Test
    void explainsCorruptFiles() throws Exception {
        Path path = dir.resolve("tokengate.key");
        KeyFile created = KeyFile.loadOrCreate(path, clock, random);
        String text = Files.readString(path);
        Files.writeString(path, text.replace(created.keyId(), "k_000000000000"));
        assertThatThrownBy(() -> KeyFile.load(path)).hasMessageContaining("corrupt: it declares key id k_000000000000");
        Files.writeString(path, text.replaceAll("master=.*", "master=AAAA"));
        assertThatThrownBy(() -> KeyFile.load(path)).hasMessageContaining("'master' has 3 bytes instead of 32");
        Files.writeString(path, text.replace("version=1", "version=9"));
        assertThatThrownBy(() -> KeyFile.load(path)).hasMessageContaining("has version '9'");
        Files.writeString(path, "");
        assertThatThrownBy(() -> KeyFile.load(path)).hasMessageContaining("is empty or damaged");
        Files.writeString(path, text.substring(0, text.indexOf("version=")));
        assertThatThrownBy(() -> KeyFile.load(path)).hasMessageContaining("is empty or damaged");
        assertThatThrownBy(() -> KeyFile.load(dir.resolve("missing.key"))).hasMessageContaining("does not exist");
    }
}
