package io.tokengate.server.http;

import io.tokengate.server.config.TlsKeystore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SecureRequestCustomizer;

/**
 * Jetty's customizer for requests over TLS, with its check that the certificate the connection
 * was given names the host the request is for ({@code Host}), kept on and explained. Jetty
 * answers a mismatch with a bare {@code 400 Invalid SNI}; this says which host, which names the
 * certificate has, and what to do (it is audited on the data plane, as every request Jetty
 * refuses).
 *
 * <p>Why on: a client that checks the certificate against the host its requests are for never
 * meets it. The ones that do are a client that does not verify ({@code curl -k}, {@code
 * verify=False}), sending secrets to whoever answers; a client sent to an address or name the
 * certificate does not cover, which would fail as soon as it verified; and a load balancer that
 * connects over TLS but passes on a {@code Host} the node's certificate does not name. Each is
 * better fixed than let through (the certificate names the host, or the balancer sends one it
 * names), and {@code config check} already warns when the certificate does not name {@code
 * gateway.public.url}'s host. Letting them through would buy nothing either: the data plane never
 * acts on {@code Host}. The SNI extension itself is not required ({@code sniRequired} stays off): clients
 * connecting to an IP address send none.
 */
public final class CertificateHostCheck extends SecureRequestCustomizer {
    private final String setting;

    /** @param setting the setting that names the port's keystore: {@code gateway.tls.keystore} */
    public CertificateHostCheck(String setting) {
        super(false, true, -1, false);
        this.setting = setting;
    }

    @Override
    protected void checkSni(Request request, SSLSession session) {
        try {
            super.checkSni(request, session);
        } catch (HttpException.RuntimeException refused) {
            String host = Request.getServerName(request);
            String names = names(session);
            throw new TlsRefusal(
                    "the certificate (" + setting + ") does not name " + host,
                    "The certificate of this port (" + setting + ") does not name " + host
                            + ", the host this request is for; it names " + names + ". Send requests to a"
                            + " name it names, or have the certificate name " + host + " (behind a load"
                            + " balancer that connects with TLS: have it send a Host header the"
                            + " certificate names).");
        }
    }

    private static String names(SSLSession session) {
        Certificate[] served = session.getLocalCertificates();
        return served != null && served.length > 0 && served[0] instanceof X509Certificate certificate
                ? String.join(", ", TlsKeystore.namesOf(certificate))
                : "nothing";
    }
}
