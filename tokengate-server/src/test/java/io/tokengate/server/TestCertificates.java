package io.tokengate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Self-signed certificates for TLS tests, made as an operator would, with the JDK's keytool. */
public final class TestCertificates {
    private TestCertificates() {}

    /**
     * A PKCS12 keystore at {@code keystore} holding one EC key and its self-signed certificate.
     *
     * @param names the subject alternative names, as keytool takes them ({@code
     *     SAN=dns:localhost,ip:127.0.0.1})
     * @param validity keytool's options for the validity ({@code -validity 2}, {@code -startdate
     *     -10d})
     */
    public static Path keytool(
            Path keystore, String password, String alias, String subject, String names, String... validity)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-keystore",
                keystore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                password,
                "-alias",
                alias,
                "-keyalg",
                "EC",
                "-dname",
                subject,
                "-ext",
                names));
        command.addAll(List.of(validity));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return keystore;
    }

    /** The certificate under {@code alias} in {@code store}, as a PEM file holds it. */
    public static String pem(KeyStore store, String alias) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(store.getCertificate(alias).getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
