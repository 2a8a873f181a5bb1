package io.tokengate.server.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The data plane's certificate and private key ({@code gateway.tls.keystore}): a PKCS12 or JKS
 * keystore, opened and checked when the configuration is loaded, so that a wrong path, a wrong
 * password or an expired certificate stops {@code config check} and {@code serve} with a clear
 * message rather than the first client's handshake. {@link #toString()} never shows the password.
 */
public final class TlsKeystore {
    private final Path path;
    private final KeyStore keyStore;
    private final String password;

    private TlsKeystore(Path path, KeyStore keyStore, String password) {
        this.path = path;
        this.keyStore = keyStore;
        this.password = password;
    }

    /**
     * Opens the keystore at {@code path} with {@code password}.
     *
     * @throws IllegalArgumentException saying what is wrong (no file, not a keystore, wrong
     *     password, no private key, expired certificate); never with the password
     */
    static TlsKeystore open(Path path, String password, Instant now) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException("gateway.tls.keystore: " + path + " is not a readable file");
        }
        KeyStore keyStore;
        try {
            keyStore = KeyStore.getInstance(path.toFile(), password.toCharArray());
        } catch (IOException e) {
            throw new IllegalArgumentException("gateway.tls.keystore: " + path
                    + (e.getCause() instanceof UnrecoverableKeyException
                            ? " cannot be opened with gateway.tls.keystore.password (wrong password?)"
                            : " cannot be read as a PKCS12 or JKS keystore (" + e.getMessage() + ")"));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("gateway.tls.keystore: " + path + " is not a PKCS12 or JKS keystore");
        }
        List<String> valid = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        try {
            for (String alias : Collections.list(keyStore.aliases())) {
                if (!keyStore.isKeyEntry(alias)) {
                    continue;
                }
                try {
                    keyStore.getKey(alias, password.toCharArray());
                } catch (UnrecoverableKeyException e) {
                    throw new IllegalArgumentException("gateway.tls.keystore: the private key '" + alias + "' in "
                            + path + " cannot be read with gateway.tls.keystore.password");
                }
                Certificate certificate = keyStore.getCertificate(alias);
                if (certificate instanceof X509Certificate x509
                        && x509.getNotAfter().toInstant().isBefore(now)) {
                    expired.add("'" + alias + "' (expired " + x509.getNotAfter().toInstant() + ")");
                } else {
                    valid.add(alias);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("gateway.tls.keystore: " + path + " cannot be read: " + e.getMessage());
        }
        if (valid.isEmpty()) {
            throw new IllegalArgumentException("gateway.tls.keystore: " + path + " holds no private key with a valid"
                    + " certificate" + (expired.isEmpty() ? "" : "; " + String.join(", ", expired)));
        }
        return new TlsKeystore(path, keyStore, password);
    }

    public Path path() {
        return path;
    }

    /** The opened keystore, for the TLS connector. */
    public KeyStore keyStore() {
        return keyStore;
    }

    /** The keystore's (and its keys') password, for the TLS connector only. */
    public String password() {
        return password;
    }

    @Override
    public String toString() {
        return "TlsKeystore[" + path + ", password=redacted]";
    }
}
