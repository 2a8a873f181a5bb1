package io.tokengate.server.config;

import io.tokengate.core.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * A plane's certificate and private key ({@code gateway.tls.keystore}, {@code
 * admin.tls.keystore}): a PKCS12 or JKS keystore, opened and checked when the configuration is
 * loaded, so that a wrong path, a wrong password or an expired certificate stops {@code config
 * check} and {@code serve} with a clear message rather than the first client's handshake. {@link
 * #toString()} never shows the password.
 */
public final class TlsKeystore {
    /** Types of subject alternative name (RFC 5280): a DNS name, an IP address. */
    private static final int DNS_NAME = 2;

    private static final int IP_ADDRESS = 7;

    private final String setting;
    private final Path path;
    private final KeyStore keyStore;
    private final String password;
    private final List<X509Certificate> certificates;
    private final byte[] digest;

    private TlsKeystore(
            String setting,
            Path path,
            KeyStore keyStore,
            String password,
            List<X509Certificate> certificates,
            byte[] digest) {
        this.setting = setting;
        this.path = path;
        this.keyStore = keyStore;
        this.password = password;
        this.certificates = List.copyOf(certificates);
        this.digest = digest;
    }

    /**
     * Opens the keystore at {@code path} with {@code password}.
     *
     * @param setting the setting that names it, for messages: {@code gateway.tls.keystore} or
     *     {@code admin.tls.keystore}
     *
     * @throws IllegalArgumentException saying what is wrong (no file, not a keystore, wrong
     *     password, no private key, expired certificate); never with the password
     */
    static TlsKeystore open(String setting, Path path, String password, Instant now) {
        byte[] content;
        try {
            content = Files.readAllBytes(path);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException(setting + ": " + path + " is not a readable file");
        }
        KeyStore keyStore;
        try {
            // Either format: the JDK's keystore types read both (keystore.type.compat).
            keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(new ByteArrayInputStream(content), password.toCharArray());
        } catch (IOException e) {
            throw new IllegalArgumentException(setting + ": " + path
                    + (e.getCause() instanceof UnrecoverableKeyException
                            ? password.isEmpty()
                                    ? " needs a password: set " + setting + ".password"
                                    : " cannot be opened with " + setting + ".password (wrong password?)"
                            : " is not a PKCS12 or JKS keystore"));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(setting + ": " + path + " is not a PKCS12 or JKS keystore");
        }
        List<X509Certificate> valid = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        try {
            for (String alias : Collections.list(keyStore.aliases())) {
                if (!keyStore.isKeyEntry(alias)) {
                    continue;
                }
                try {
                    keyStore.getKey(alias, password.toCharArray());
                } catch (UnrecoverableKeyException e) {
                    throw new IllegalArgumentException(setting + ": the private key '" + alias + "' in " + path
                            + " cannot be read with " + setting + ".password");
                }
                Certificate certificate = keyStore.getCertificate(alias);
                if (!(certificate instanceof X509Certificate x509)) {
                    continue;
                }
                if (x509.getNotAfter().toInstant().isBefore(now)) {
                    expired.add("'" + alias + "' (expired " + x509.getNotAfter().toInstant() + ")");
                } else {
                    valid.add(x509);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(setting + ": " + path + " cannot be read: " + e.getMessage());
        }
        if (valid.isEmpty()) {
            throw new IllegalArgumentException(setting + ": " + path + " holds no private key with a valid"
                    + " certificate" + (expired.isEmpty() ? "" : "; " + String.join(", ", expired)));
        }
        return new TlsKeystore(setting, path, keyStore, password, valid, Sha256.of(content));
    }

    /**
     * The keystore file as it is now, opened and checked as at start, with the same password: to
     * serve a renewed certificate.
     *
     * @throws IllegalArgumentException saying what is wrong with it, as {@link #open} does
     */
    public TlsKeystore reopen(Instant now) {
        return open(setting, path, password, now);
    }

    /** Whether this and {@code other} were read from the same bytes. */
    public boolean sameContent(TlsKeystore other) {
        return MessageDigest.isEqual(digest, other.digest);
    }

    /** When the first of its valid certificates expires. */
    public Instant expires() {
        return certificates.stream()
                .map(c -> c.getNotAfter().toInstant())
                .min(Instant::compareTo)
                .orElseThrow();
    }

    /**
     * The host names and addresses its certificates are for: their subject alternative names, or
     * the common name of one that has none.
     */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (X509Certificate certificate : certificates) {
            names.addAll(namesOf(certificate));
        }
        return names;
    }

    /** Whether a client that asks for {@code host} accepts one of its certificates. */
    public boolean names(String host) {
        String asked = host.toLowerCase(Locale.ROOT);
        return names().stream().anyMatch(name -> matches(name.toLowerCase(Locale.ROOT), asked));
    }

    /** {@code name} itself, or one label in place of a leading {@code *} (RFC 6125). */
    private static boolean matches(String name, String host) {
        if (!name.startsWith("*.")) {
            return name.equals(host);
        }
        String parent = name.substring(1);
        String label = host.endsWith(parent) ? host.substring(0, host.length() - parent.length()) : "";
        return !label.isEmpty() && label.indexOf('.') < 0;
    }

    /**
     * The host names and addresses {@code certificate} is for: its subject alternative names, or
     * its common name if it has none.
     */
    public static List<String> namesOf(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    int type = (Integer) alternative.get(0);
                    if (type == DNS_NAME || type == IP_ADDRESS) {
                        names.add(String.valueOf(alternative.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // read as having no alternative names
        }
        if (names.isEmpty()) {
            try {
                for (Rdn rdn :
                        new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        names.add(String.valueOf(rdn.getValue()));
                    }
                }
            } catch (InvalidNameException e) {
                // no common name either
            }
        }
        return names;
    }

    /** The setting that names it: {@code gateway.tls.keystore} or {@code admin.tls.keystore}. */
    public String setting() {
        return setting;
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
        return "TlsKeystore[" + setting + "=" + path + ", password=redacted]";
    }
}
