package io.tokengate.store;

import io.tokengate.core.Causes;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the PostgreSQL driver's failures to set up TLS mean for an administrator, in the words of
 * {@code db.url}: the driver says "PKIX path building failed" or "could not be verified by
 * hostnameverifier", which names neither the setting nor what to change. The driver's own words
 * follow in parentheses, for a search.
 */
final class TlsFailures {
    private static final Pattern HOST_NOT_NAMED =
            Pattern.compile("The hostname (\\S+) could not be verified by hostnameverifier");

    private TlsFailures() {}

    /** {@code e} said for an administrator, when it is a TLS failure the driver words obscurely. */
    static Optional<String> explain(SQLException e, String driverSays) {
        Matcher hostNotNamed = HOST_NOT_NAMED.matcher(driverSays);
        if (hostNotNamed.find()) {
            return Optional.of("the database's TLS certificate does not name " + hostNotNamed.group(1)
                    + ", the host db.url names (sslmode=verify-full): name the database in db.url as its certificate"
                    + " does, or use sslmode=verify-ca to check the CA only (" + driverSays + ")");
        }
        if (Causes.any(e, t -> t instanceof CertificateExpiredException)) {
            return Optional.of(
                    "the database's TLS certificate has expired: renew it on the database (" + driverSays + ")");
        }
        if (Causes.any(e, t -> t instanceof CertPathBuilderException || t instanceof CertPathValidatorException)) {
            return Optional.of("the database's TLS certificate is not signed by the CA that db.url trusts: set"
                    + " sslrootcert in db.url to the PEM file of the CA that signed it (" + driverSays + ")");
        }
        if (driverSays.contains("pg_hba.conf rejects connection") && driverSays.endsWith("no encryption")) {
            return Optional.of(driverSays + ": the database takes TLS connections only; add"
                    + " sslmode=verify-full&sslrootcert=CA.pem to db.url");
        }
        return Optional.empty();
    }
}
