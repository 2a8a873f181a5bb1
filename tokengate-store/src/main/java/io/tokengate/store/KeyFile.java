package io.tokengate.store;

import io.tokengate.core.token.SecretCipher;
import io.tokengate.core.token.TokenDigester;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Properties;
import java.util.Set;

/**
 * The server's secret key material: one random 32-byte master key in {@code TOKENGATE_HOME/
 * tokengate.key}, from which HKDF derives the HMAC pepper (token digests), the AES-256 key
 * (encrypted secret copies) and a public key id. Created on first start with mode 0600, written
 * to a temporary file and linked into place so it appears whole or not at all; an existing file
 * readable by group or others is refused.
 *
 * <p>Losing this file makes every token unverifiable: back it up, and give every node of a cluster
 * the same copy. {@link #toString()} prints the path and key id, never key bytes.
 */
public final class KeyFile {
    private static final int VERSION = 1;
    private static final byte[] CHECK_CONSTANT = "tokengate key check v1".getBytes(StandardCharsets.US_ASCII);
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final Path path;
    private final String keyId;
    private final byte[] pepper;
    private final byte[] aesKey;
    private final String fingerprint;

    private KeyFile(Path path, byte[] master) {
        this.path = path;
        this.keyId = keyId(master);
        this.pepper = Hkdf.derive(master, "tokengate/pepper/v1", 32);
        this.aesKey = Hkdf.derive(master, "tokengate/aes-256-gcm/v1", 32);
        try {
            this.fingerprint = HexFormat.of().formatHex(Hkdf.hmac(pepper, CHECK_CONSTANT));
        } catch (GeneralSecurityException e) {
            throw new KeyFileException("HMAC-SHA256 is not available in this JVM", e);
        }
    }

    /** Reads the key file at {@code path}, creating it first if it does not exist. */
    public static KeyFile loadOrCreate(Path path, Clock clock, SecureRandom random) {
        Path absolute = path.toAbsolutePath();
        if (!Files.exists(absolute)) {
            create(absolute, clock, random);
        }
        return load(absolute);
    }

    /** Reads an existing key file. */
    public static KeyFile load(Path path) {
        Path absolute = path.toAbsolutePath();
        checkPermissions(absolute);
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(Files.readString(absolute, StandardCharsets.US_ASCII)));
        } catch (NoSuchFileException e) {
            throw new KeyFileException("The key file " + absolute + " does not exist.", e);
        } catch (IOException e) {
            throw new KeyFileException("Cannot read the key file " + absolute + ": " + e.getMessage(), e);
        }
        if (properties.getProperty("version") == null) {
            throw new KeyFileException("The key file " + absolute + " is empty or damaged (it has no version line):"
                    + " restore it from a backup or from another node of the cluster.");
        }
        if (!Integer.toString(VERSION).equals(properties.getProperty("version"))) {
            throw new KeyFileException("The key file " + absolute + " has version '" + properties.getProperty("version")
                    + "'; this tokengate reads version " + VERSION + ".");
        }
        byte[] master;
        try {
            master = Base64.getDecoder()
                    .decode(properties.getProperty("master", "").trim());
        } catch (IllegalArgumentException e) {
            throw new KeyFileException("The key file " + absolute + " is corrupt: 'master' is not Base64.");
        }
        if (master.length != 32) {
            throw new KeyFileException("The key file " + absolute + " is corrupt: 'master' has " + master.length
                    + " bytes instead of 32.");
        }
        KeyFile key = new KeyFile(absolute, master);
        java.util.Arrays.fill(master, (byte) 0);
        String declared = properties.getProperty("key.id");
        if (declared != null && !declared.trim().equals(key.keyId)) {
            throw new KeyFileException("The key file " + absolute + " is corrupt: it declares key id " + declared.trim()
                    + " but its key has id " + key.keyId + ".");
        }
        return key;
    }

    private static void create(Path path, Clock clock, SecureRandom random) {
        byte[] master = new byte[32];
        random.nextBytes(master);
        String text = "# tokengate key file. Keep it secret (mode 0600) and back it up: without it no token can be\n"
                + "# verified. Every node of a cluster needs this same file.\n"
                + "version=" + VERSION + "\n"
                + "key.id=" + keyId(master) + "\n"
                + "created=" + clock.instant() + "\n"
                + "master=" + Base64.getEncoder().encodeToString(master) + "\n";
        java.util.Arrays.fill(master, (byte) 0);
        Path dir = path.getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = posix()
                    ? Files.createTempFile(
                            dir, ".tokengate-key-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                    : Files.createTempFile(dir, ".tokengate-key-", ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
                channel.force(true);
            }
            try {
                Files.createLink(path, temp); // atomic, and never replaces a file another process created
            } catch (FileAlreadyExistsException e) {
                // Another process created it first; use theirs.
            } catch (UnsupportedOperationException | IOException e) {
                Files.move(temp, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new KeyFileException("Cannot create the key file " + path + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a leftover temp file in the home directory is harmless: it is mode 0600
                }
            }
        }
    }

    private static void checkPermissions(Path path) {
        if (!posix() || !Files.exists(path)) {
            return;
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            EnumSet<PosixFilePermission> extra = EnumSet.noneOf(PosixFilePermission.class);
            extra.addAll(permissions);
            extra.removeAll(EnumSet.of(
                    PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_EXECUTE));
            if (!extra.isEmpty()) {
                throw new KeyFileException("The key file " + path + " is accessible to others (mode "
                        + PosixFilePermissions.toString(permissions) + "); it must be readable by its owner only."
                        + " Run: chmod 600 " + path + " (and consider the key compromised if others could read it).");
            }
        } catch (IOException e) {
            throw new KeyFileException(
                    "Cannot check the permissions of the key file " + path + ": " + e.getMessage(), e);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static String keyId(byte[] master) {
        return "k_" + HexFormat.of().formatHex(Hkdf.derive(master, "tokengate/key-id/v1", 6));
    }

    public Path path() {
        return path;
    }

    /** The public id of this key, like {@code k_3f9a1c2b7d4e}: safe to show, log and compare. */
    public String keyId() {
        return keyId;
    }

    /**
     * HMAC of a constant under the pepper: what the database remembers to recognise its key. Not
     * secret, but only this key can produce it.
     */
    String fingerprint() {
        return fingerprint;
    }

    public TokenDigester digester() {
        return new TokenDigester(pepper);
    }

    public SecretCipher cipher(SecureRandom random) {
        return new SecretCipher(aesKey, random);
    }

    @Override
    public String toString() {
        return "KeyFile[" + path + ", key id " + keyId + "]";
    }
}
