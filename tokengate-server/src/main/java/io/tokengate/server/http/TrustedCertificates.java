package io.tokengate.server.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificates a server's certificate must chain to, from a PEM file (one certificate or
 * several), instead of the JVM's: a server behind a company's own certificate authority, or with a
 * certificate of its own. {@code upstream.tls.ca} names Jira's, for every connection to Jira (the
 * forwarded requests, sign-in and user lookups in Jira mode, {@code config check}); the command
 * line's {@code --cacert} names the admin plane's. Host names are checked against the certificate
 * as always.
 */
public final class TrustedCertificates {
    private final Path path;
    private final KeyStore trustStore;

    private TrustedCertificates(Path path, KeyStore trustStore) {
        this.path = path;
        this.trustStore = trustStore;
    }

    /**
     * Reads the PEM file at {@code path}, which {@code named} (a setting or an option) names.
     *
     * @throws IllegalArgumentException saying what is wrong, after {@code named}: no file, no
     *     certificate in it, or only expired ones
     */
    public static TrustedCertificates load(String named, Path path, Instant now) {
        byte[] content;
        try {
            content = Files.readAllBytes(path);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException(named + ": " + path + " is not a readable file");
        }
        Collection<? extends Certificate> read;
        try {
            read = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(content));
        } catch (CertificateException e) {
            throw new IllegalArgumentException(
                    named + ": " + path + " is not a PEM file of certificates (" + e.getMessage() + ")");
        }
        List<X509Certificate> valid = new ArrayList<>();
        for (Certificate certificate : read) {
            if (certificate instanceof X509Certificate x509
                    && !x509.getNotAfter().toInstant().isBefore(now)) {
                valid.add(x509);
            }
        }
        if (valid.isEmpty()) {
            throw new IllegalArgumentException(named + ": " + path
                    + (read.isEmpty() ? " holds no certificate" : " holds only expired certificates"));
        }
        try {
            KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
            trustStore.load(null, null);
            for (int i = 0; i < valid.size(); i++) {
                trustStore.setCertificateEntry("ca-" + i, valid.get(i));
            }
            return new TrustedCertificates(path, trustStore);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot hold the certificates of " + named + " in memory", e);
        }
    }

    /** The certificates, as Jetty's client takes them. */
    public KeyStore trustStore() {
        return trustStore;
    }

    /** TLS that trusts the certificates only, as the JDK's HTTP client takes it. */
    public SSLContext sslContext() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build TLS from " + path, e);
        }
    }

    @Override
    public String toString() {
        return "TrustedCertificates[" + path + "]";
    }
}
