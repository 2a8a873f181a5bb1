package io.tokengate.server.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Every setting tokengate reads, with its default and a one-line description. */
public enum Key {
    GATEWAY_HOST("gateway.host", "0.0.0.0", "address the data plane listens on"),
    GATEWAY_PORT("gateway.port", "8080", "port of the data plane"),
    GATEWAY_PUBLIC_URL(
            "gateway.public.url", "", "external base URL of the gateway; restrictions match URLs that start with it"),
    GATEWAY_ENDPOINTS("gateway.endpoints", "/rest/", "comma-separated path prefixes that are served"),
    GATEWAY_ENDPOINTS_EXCLUDED(
            "gateway.endpoints.excluded",
            "/rest/pat/",
            "comma-separated path prefixes within gateway.endpoints that are never served, in any letter case;"
                    + " by default Jira's personal access tokens, which a token could mint to outlive its revocation"
                    + " and its audit; none: exclude nothing"),
    GATEWAY_REFUSED_HEADERS(
            "gateway.refused.headers",
            "",
            "comma-separated header names refused (400) besides those the gateway always refuses: a header by which"
                    + " an app in Jira runs a request as another user, or does what a token's limits cannot see;"
                    + " compared in any letter case, '_' as '-'"),
    GATEWAY_REFUSED_PARAMETERS(
            "gateway.refused.parameters",
            "",
            "comma-separated parameter names refused (400), in the query or in a form body, besides those the"
                    + " gateway always refuses (_method, Jira's sign-in parameters); compared in any letter case"),
    GATEWAY_TRUSTED_PROXIES(
            "gateway.trusted.proxies", "", "CIDR list of load balancers whose X-Forwarded-For is believed"),
    GATEWAY_TLS_KEYSTORE(
            "gateway.tls.keystore",
            "",
            "PKCS12 or JKS keystore (under the home) with the data plane's certificate and key: HTTPS;"
                    + " empty: plain HTTP, for TLS ended in front"),
    GATEWAY_TLS_KEYSTORE_PASSWORD(
            "gateway.tls.keystore.password", "", "password of gateway.tls.keystore and its key", true),

    ADMIN_HOST("admin.host", "127.0.0.1", "address the admin plane listens on"),
    ADMIN_PORT("admin.port", "8081", "port of the admin plane (web UI, /api/v1, /metrics, /health)"),
    ADMIN_PUBLIC_URL(
            "admin.public.url",
            "",
            "external URL of the admin plane; https:// makes the session cookie Secure; browsers may send"
                    + " requests from this origin"),
    ADMIN_ALLOWED_HOSTS(
            "admin.allowed.hosts",
            "",
            "comma-separated host names the admin plane answers to, besides IP addresses, localhost, admin.host"
                    + " and admin.public.url's; any other Host is refused (421), so that a web page whose name"
                    + " an attacker points at this machine (DNS rebinding) cannot reach it"),
    ADMIN_TLS_KEYSTORE(
            "admin.tls.keystore",
            "",
            "PKCS12 or JKS keystore (under the home) with the admin plane's certificate and key: HTTPS;"
                    + " empty: plain HTTP"),
    ADMIN_TLS_KEYSTORE_PASSWORD("admin.tls.keystore.password", "", "password of admin.tls.keystore and its key", true),
    TLS_CHECK_SECONDS(
            "tls.check.seconds",
            "60",
            "how often the keystores are checked for renewed certificates, served without a restart"
                    + " (0 = only at start)"),
    IDENTITY_SOURCE("identity.source", "local", "who may sign in to the admin plane: local | jira"),
    ADMIN_SESSION_IDLE_MINUTES("admin.session.idle.minutes", "30", "a session unused this long ends"),
    ADMIN_SESSION_MAX_HOURS("admin.session.max.hours", "12", "a session ends this long after sign-in, used or not"),
    ADMIN_CREDENTIAL_CACHE_SECONDS(
            "admin.credential.cache.seconds",
            "60",
            "how long verified admin-plane credentials are remembered (by an HMAC, never in clear; 0 = never)"),
    UPSTREAM_URL("upstream.url", "", "base URL of Jira, possibly with a context path"),
    UPSTREAM_TLS_CA(
            "upstream.tls.ca",
            "",
            "PEM file (under the home) of the certificates Jira's must chain to, instead of the JVM's"),
    UPSTREAM_IDENTITY("upstream.identity", "header", "header | service-account | user-credential"),
    UPSTREAM_IDENTITY_HEADER(
            "upstream.identity.header", "X-Forwarded-User", "header naming the effective user (identity 'header')"),
    UPSTREAM_SERVICE_USER(
            "upstream.service.user",
            "",
            "service account user (identity 'service-account'; with 'user-credential', to look users up only)"),
    UPSTREAM_SERVICE_PASSWORD(
            "upstream.service.password",
            "",
            "service account password (identity 'service-account', or 'user-credential' lookups)",
            true),
    UPSTREAM_SERVICE_TOKEN(
            "upstream.service.token", "", "service account Bearer token, instead of user and password", true),
    UPSTREAM_CONNECT_TIMEOUT_MS("upstream.connect.timeout.ms", "5000", "upstream connect timeout"),
    UPSTREAM_IDLE_TIMEOUT_MS(
            "upstream.idle.timeout.ms",
            "60000",
            "longest upstream silence before 504 (408 when the client's body is what has not come)"),
    UPSTREAM_RESPONSE_TIMEOUT_MS(
            "upstream.response.timeout.ms",
            "300000",
            "longest one upstream exchange may take, from sending the request to the end of the response: 504"
                    + " before the response has begun (408 while the client's body is still arriving), a cut"
                    + " connection after (0 = no limit)"),
    AUTH_SCHEMES("auth.schemes", "basic,bearer", "accepted schemes: basic, bearer"),
    RUNAS_GROUPS("runas.groups", "", "groups (besides admins) whose members may use contextUser"),
    BODY_INSPECT_MAX("body.inspect.max", "1048576", "largest body read for JSON restrictions, in bytes"),
    BODY_INSPECT_MEMORY(
            "body.inspect.memory",
            "0",
            "most bytes of request bodies held at once for JSON restrictions, all requests together;"
                    + " past it 503, past half of it for one token's requests 429 (0 = an eighth of the heap)"),
    BODY_INSPECT_TIMEOUT_MS(
            "body.inspect.timeout.ms",
            "60000",
            "longest a body read for JSON restrictions may take to arrive, from its first read; past it 408"
                    + " (0 = no limit)"),
    LOGIN_MAX_FAILURES("login.max.failures", "10", "failed logins per client address before 429 (0 = off)"),
    LOGIN_WINDOW_SECONDS("login.window.seconds", "300", "window of login.max.failures"),
    TOKEN_SECURE_MODE("token.secure.mode", "false", "secrets shown once only; read at start-up"),
    TOKEN_MAX_LIFETIME_DAYS("token.max.lifetime.days", "0", "cap on token lifetime at creation (0 = none)"),
    TOKEN_CACHE_TTL_SECONDS("token.cache.ttl.seconds", "30", "longest a token stays cached (backstop)"),
    DB_URL("db.url", "", "JDBC URL; default: embedded H2 in the home directory"),
    DB_USER("db.user", "", "database user"),
    DB_PASSWORD("db.password", "", "database password", true),
    DB_POOL_SIZE("db.pool.size", "10", "database connections"),
    DB_CONNECTION_TIMEOUT_MS(
            "db.connection.timeout.ms",
            "5000",
            "longest wait for a database connection: what the first request to find the database away waits"
                    + " before 503; later ones are answered at once while one a second tries again"),
    KEY_FILE("key.file", "", "key file; default: tokengate.key in the home directory"),
    AUDIT_QUEUE_CAPACITY("audit.queue.capacity", "65536", "audit records held in memory before back-pressure"),
    AUDIT_BATCH_SIZE("audit.batch.size", "250", "audit records written per transaction"),
    AUDIT_FLUSH_INTERVAL_MS("audit.flush.interval.ms", "100", "longest an audit record waits in memory"),
    AUDIT_RESERVE_WAIT_MS("audit.reserve.wait.ms", "2000", "longest a request waits for audit room before 503"),
    AUDIT_RETENTION_DAYS("audit.retention.days", "0", "delete audit records older than this (0 = keep)"),
    NODE_ID("node.id", "", "name of this node in audit records; default: host name"),
    LOG_DIR(
            "log.dir",
            "logs",
            "directory of the JSON Lines log files (one a day, kept 14 days), relative to the home;"
                    + " none: standard error only");

    private final String key;
    private final String defaultValue;
    private final String description;
    private final boolean secret;

    Key(String key, String defaultValue, String description) {
        this(key, defaultValue, description, false);
    }

    Key(String key, String defaultValue, String description, boolean secret) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
        this.secret = secret;
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** Whether values are passwords or tokens, never to be shown. */
    public boolean secret() {
        return secret;
    }

    public String environmentVariable() {
        return Settings.environmentVariable(key);
    }

    public static Optional<Key> find(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }

    static List<String> names() {
        return Arrays.stream(values()).map(Key::key).toList();
    }
}
