package io.tokengate.server.config;

import io.tokengate.core.token.IpAllowList;
import io.tokengate.server.gateway.UpstreamIdentity;
import io.tokengate.server.http.TrustedCertificates;
import io.tokengate.store.StoreConfig;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Loads and validates the configuration: reads {@code tokengate.properties} from the home
 * directory, merges environment and flags ({@link Settings}), converts every value and checks
 * that they fit together, reporting every problem at once.
 */
public final class ConfigLoader {
    public static final String FILE_NAME = "tokengate.properties";

    private final List<String> problems = new ArrayList<>();
    private final Settings settings;

    private ConfigLoader(Settings settings) {
        this.settings = settings;
        problems.addAll(settings.problems());
    }

    /**
     * @param home the home directory ({@code --home}, {@code TOKENGATE_HOME}, or the default)
     * @param flags values from the command line, by key
     * @param serving whether the configuration is for serving ({@code serve}, {@code config
     *     check}): then {@code upstream.url} must be set and the TLS keystores are opened. The
     *     offline commands need neither, and must not fail for want of a keystore password given to
     *     the server only (a nightly {@code db backup}, say)
     * @throws ConfigException listing every problem
     */
    public static TokengateConfig load(
            Path home, Map<String, String> environment, Map<String, String> flags, boolean serving) {
        Path file = home.resolve(FILE_NAME);
        Map<String, String> fileValues = new LinkedHashMap<>();
        List<String> fileProblems = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException | IllegalArgumentException e) {
                fileProblems.add(file + " cannot be read: " + e.getMessage());
            }
            properties.stringPropertyNames().forEach(name -> fileValues.put(name, properties.getProperty(name)));
        }
        ConfigLoader loader = new ConfigLoader(Settings.merge(fileValues, file.toString(), environment, flags));
        loader.problems.addAll(0, fileProblems);
        return loader.build(home, serving);
    }

    private TokengateConfig build(Path home, boolean serving) {
        int gatewayPort = port(Key.GATEWAY_PORT);
        int adminPort = port(Key.ADMIN_PORT);
        if (gatewayPort != 0 && gatewayPort == adminPort) {
            problems.add("gateway.port and admin.port are both " + gatewayPort);
        }
        Optional<String> publicUrl = settings.get(Key.GATEWAY_PUBLIC_URL).flatMap(this::publicUrl);
        Optional<URI> upstream = settings.get(Key.UPSTREAM_URL).flatMap(u -> httpUrl(Key.UPSTREAM_URL, u));
        if (serving && settings.get(Key.UPSTREAM_URL).isEmpty()) {
            problems.add("upstream.url is not set: where is Jira? (e.g. upstream.url=https://jira.example.com,"
                    + " or --upstream URL, or TOKENGATE_UPSTREAM_URL)");
        }
        Set<String> schemes = list(Key.AUTH_SCHEMES, s -> s.toLowerCase(Locale.ROOT));
        for (String scheme : schemes) {
            if (!scheme.equals("basic") && !scheme.equals("bearer")) {
                problems.add("auth.schemes: unknown scheme '" + scheme + "' (expected basic, bearer)");
            }
        }
        if (schemes.isEmpty()) {
            problems.add("auth.schemes is empty: no client could authenticate");
        }
        List<String> endpoints = pathPrefixes(Key.GATEWAY_ENDPOINTS, "/rest/");
        List<String> excludedEndpoints = value(Key.GATEWAY_ENDPOINTS_EXCLUDED).equalsIgnoreCase("none")
                ? List.of()
                : pathPrefixes(Key.GATEWAY_ENDPOINTS_EXCLUDED, "/rest/pat/");
        TokengateConfig config = new TokengateConfig(
                home,
                logDir(home),
                host(Key.GATEWAY_HOST),
                gatewayPort,
                publicUrl,
                serving ? tls(home, Key.GATEWAY_TLS_KEYSTORE, Key.GATEWAY_TLS_KEYSTORE_PASSWORD) : Optional.empty(),
                serving ? tls(home, Key.ADMIN_TLS_KEYSTORE, Key.ADMIN_TLS_KEYSTORE_PASSWORD) : Optional.empty(),
                Duration.ofSeconds(integer(Key.TLS_CHECK_SECONDS, 0, 86_400)),
                endpoints,
                excludedEndpoints,
                ipList(Key.GATEWAY_TRUSTED_PROXIES),
                host(Key.ADMIN_HOST),
                adminPort,
                upstream,
                upstreamTrust(home),
                identity(),
                schemes.contains("basic"),
                schemes.contains("bearer"),
                list(Key.RUNAS_GROUPS, Function.identity()),
                (int) integer(Key.BODY_INSPECT_MAX, 1, Integer.MAX_VALUE - 16),
                (int) integer(Key.LOGIN_MAX_FAILURES, 0, 1_000_000),
                Duration.ofSeconds(integer(Key.LOGIN_WINDOW_SECONDS, 1, 86_400)),
                Duration.ofMillis(integer(Key.UPSTREAM_CONNECT_TIMEOUT_MS, 1, 600_000)),
                Duration.ofMillis(integer(Key.UPSTREAM_IDLE_TIMEOUT_MS, 1, 3_600_000)),
                Duration.ofMillis(integer(Key.UPSTREAM_RESPONSE_TIMEOUT_MS, 0, 86_400_000)),
                Duration.ofMillis(integer(Key.AUDIT_RESERVE_WAIT_MS, 0, 60_000)),
                store(home),
                admin(),
                settings.effective());
        problems.addAll(HomeAccess.problems(config));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    /** A list of path prefixes, each starting with {@code /} and without {@code ..} or {@code //}. */
    private List<String> pathPrefixes(Key key, String example) {
        List<String> prefixes = new ArrayList<>(list(key, Function.identity()));
        for (String prefix : prefixes) {
            if (!prefix.startsWith("/") || prefix.contains("..") || prefix.contains("//")) {
                problems.add(key.key() + ": '" + prefix + "' is not a path prefix like " + example);
            }
        }
        return prefixes;
    }

    /** {@code upstream.tls.ca} under the home, read and checked; empty when not set. */
    private Optional<TrustedCertificates> upstreamTrust(Path home) {
        return homeFile(
                home,
                Key.UPSTREAM_TLS_CA,
                file -> TrustedCertificates.load(Key.UPSTREAM_TLS_CA.key(), file, Instant.now()));
    }

    /** A plane's keystore under the home, opened and checked; empty when not set. */
    private Optional<TlsKeystore> tls(Path home, Key keystoreKey, Key passwordKey) {
        String password = settings.get(passwordKey).orElse("");
        if (settings.get(keystoreKey).isEmpty() && !password.isEmpty()) {
            problems.add(passwordKey.key() + " is set but " + keystoreKey.key() + " is not");
        }
        return homeFile(home, keystoreKey, file -> TlsKeystore.open(keystoreKey.key(), file, password, Instant.now()));
    }

    /**
     * The file {@code key} names under the home, read by {@code open}; empty when {@code key} is
     * not set, or when the file cannot be read, which {@code open} says by an {@link
     * IllegalArgumentException} whose message is the problem.
     */
    private <T> Optional<T> homeFile(Path home, Key key, Function<Path, T> open) {
        Optional<String> name = settings.get(key);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(open.apply(home.resolve(name.get())));
        } catch (InvalidPathException e) {
            problems.add(key.key() + ": '" + name.get() + "' is not a file name (" + e.getReason() + ")");
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        return Optional.empty();
    }

    /** {@code log.dir} under the home, unless it is {@code none}. */
    private Optional<Path> logDir(Path home) {
        String dir = value(Key.LOG_DIR);
        if (dir.equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        try {
            return Optional.of(home.resolve(dir));
        } catch (InvalidPathException e) {
            problems.add("log.dir: '" + dir + "' is not a directory name (" + e.getReason() + ")");
            return Optional.empty();
        }
    }

    private StoreConfig store(Path home) {
        StoreConfig.Builder builder = StoreConfig.builder(home)
                .secureMode(bool(Key.TOKEN_SECURE_MODE))
                .maxLifetimeDays((int) integer(Key.TOKEN_MAX_LIFETIME_DAYS, 0, 36_500))
                .cacheTtl(Duration.ofSeconds(integer(Key.TOKEN_CACHE_TTL_SECONDS, 1, 3600)))
                .auditQueue(
                        (int) integer(Key.AUDIT_QUEUE_CAPACITY, 16, 10_000_000),
                        (int) integer(Key.AUDIT_BATCH_SIZE, 1, 100_000),
                        Duration.ofMillis(integer(Key.AUDIT_FLUSH_INTERVAL_MS, 1, 60_000)))
                .auditRetentionDays((int) integer(Key.AUDIT_RETENTION_DAYS, 0, 36_500))
                .nodeId(settings.get(Key.NODE_ID).orElseGet(ConfigLoader::hostName))
                .pool(
                        (int) integer(Key.DB_POOL_SIZE, 1, 500),
                        Duration.ofMillis(integer(Key.DB_CONNECTION_TIMEOUT_MS, 250, 60_000)));
        settings.get(Key.DB_URL).ifPresent(url -> {
            if (settings.source(Key.DB_URL).equals(Settings.COMMAND_LINE) && EffectiveSetting.carriesPassword(url)) {
                problems.add("--db-url carries a password, which every user of this machine can read in its process"
                        + " list: give it as db.password instead (in " + FILE_NAME + ", or TOKENGATE_DB_PASSWORD),"
                        + " with db.user");
                return;
            }
            if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
                problems.add("db.url: '" + EffectiveSetting.withoutCredentials(url)
                        + "' is neither jdbc:postgresql: nor jdbc:h2:");
                return; // not handed on, or the store would report it again in its own words
            }
            builder.database(
                    url,
                    settings.get(Key.DB_USER).orElse(null),
                    settings.get(Key.DB_PASSWORD).orElse(null));
        });
        settings.get(Key.KEY_FILE).ifPresent(path -> builder.keyFile(home.resolve(path)));
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return StoreConfig.builder(home).build();
        }
    }

    private AdminConfig admin() {
        String source = value(Key.IDENTITY_SOURCE).toLowerCase(Locale.ROOT);
        AdminConfig.IdentitySource identitySource = AdminConfig.IdentitySource.LOCAL;
        switch (source) {
            case "local" -> identitySource = AdminConfig.IdentitySource.LOCAL;
            case "jira" -> {
                identitySource = AdminConfig.IdentitySource.JIRA;
                if (settings.get(Key.UPSTREAM_URL).isEmpty()) {
                    problems.add("identity.source=jira needs upstream.url: users sign in with their Jira credentials");
                }
            }
            default -> problems.add("identity.source: unknown source '" + source + "' (expected local, jira)");
        }
        Optional<URI> publicUrl = settings.get(Key.ADMIN_PUBLIC_URL).flatMap(u -> httpUrl(Key.ADMIN_PUBLIC_URL, u));
        Set<String> hostNames = list(Key.ADMIN_ALLOWED_HOSTS, name -> name.toLowerCase(Locale.ROOT));
        hostNames.stream()
                .filter(name -> !name.matches("[a-z0-9.\\-]+"))
                .forEach(name -> problems.add(
                        Key.ADMIN_ALLOWED_HOSTS.key() + ": '" + name + "' is not a host name (no port, no scheme)"));
        String adminHost = value(Key.ADMIN_HOST).toLowerCase(Locale.ROOT);
        if (!AdminConfig.isAddress(adminHost)) {
            hostNames.add(adminHost);
        }
        publicUrl.map(URI::getHost).ifPresent(host -> hostNames.add(host.toLowerCase(Locale.ROOT)));
        return new AdminConfig(
                identitySource,
                publicUrl,
                Duration.ofMinutes(integer(Key.ADMIN_SESSION_IDLE_MINUTES, 1, 7 * 24 * 60)),
                Duration.ofHours(integer(Key.ADMIN_SESSION_MAX_HOURS, 1, 24 * 90)),
                Duration.ofSeconds(integer(Key.ADMIN_CREDENTIAL_CACHE_SECONDS, 0, 3600)),
                (int) integer(Key.LOGIN_MAX_FAILURES, 0, 1_000_000),
                Duration.ofSeconds(integer(Key.LOGIN_WINDOW_SECONDS, 1, 86_400)),
                hostNames);
    }

    private UpstreamIdentity identity() {
        String mode = value(Key.UPSTREAM_IDENTITY).toLowerCase(Locale.ROOT);
        switch (mode) {
            case "header":
                try {
                    return UpstreamIdentity.header(value(Key.UPSTREAM_IDENTITY_HEADER));
                } catch (IllegalArgumentException e) {
                    problems.add("upstream.identity.header: " + e.getMessage());
                    return UpstreamIdentity.header(UpstreamIdentity.DEFAULT_HEADER);
                }
            case "service-account":
                Optional<String> token = settings.get(Key.UPSTREAM_SERVICE_TOKEN);
                Optional<String> user = settings.get(Key.UPSTREAM_SERVICE_USER);
                Optional<String> password = settings.get(Key.UPSTREAM_SERVICE_PASSWORD);
                if (token.isPresent()) {
                    return UpstreamIdentity.serviceAccountBearer(token.get());
                }
                if (user.isEmpty() || password.isEmpty()) {
                    problems.add("upstream.identity=service-account needs upstream.service.user and"
                            + " upstream.service.password, or upstream.service.token");
                    return UpstreamIdentity.header(UpstreamIdentity.DEFAULT_HEADER);
                }
                return UpstreamIdentity.serviceAccountBasic(user.get(), password.get());
            case "user-credential":
                return UpstreamIdentity.userCredential();
            default:
                problems.add("upstream.identity: unknown mode '" + mode + "' (expected header, service-account,"
                        + " user-credential)");
                return UpstreamIdentity.header(UpstreamIdentity.DEFAULT_HEADER);
        }
    }

    private String value(Key key) {
        return settings.get(key).orElse(key.defaultValue());
    }

    private long integer(Key key, long min, long max) {
        String text = value(key);
        try {
            long value = Long.parseLong(text.replace("_", ""));
            if (value < min || value > max) {
                problems.add(key.key() + ": " + value + " is outside " + min + ".." + max + " (from "
                        + settings.source(key) + ")");
                return Long.parseLong(key.defaultValue());
            }
            return value;
        } catch (NumberFormatException e) {
            problems.add(key.key() + ": '" + text + "' is not a whole number (from " + settings.source(key) + ")");
            return Long.parseLong(key.defaultValue());
        }
    }

    private int port(Key key) {
        return (int) integer(key, 0, 65_535);
    }

    private boolean bool(Key key) {
        String text = value(key).toLowerCase(Locale.ROOT);
        if (!text.equals("true") && !text.equals("false")) {
            problems.add(key.key() + ": '" + text + "' is neither true nor false (from " + settings.source(key) + ")");
            return false;
        }
        return Boolean.parseBoolean(text);
    }

    private String host(Key key) {
        String host = value(key);
        if (!host.matches("[A-Za-z0-9.:\\-\\[\\]]+")) {
            problems.add(key.key() + ": '" + host + "' is not a host name or address");
        }
        return host;
    }

    private Set<String> list(Key key, Function<String, String> normalize) {
        Set<String> items = new LinkedHashSet<>();
        Arrays.stream(value(key).split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(normalize)
                .forEach(items::add);
        return items;
    }

    private IpAllowList ipList(Key key) {
        try {
            return IpAllowList.parse(value(key));
        } catch (IllegalArgumentException e) {
            problems.add(key.key() + ": " + e.getMessage());
            return IpAllowList.any();
        }
    }

    private Optional<String> publicUrl(String text) {
        Optional<URI> uri = httpUrl(Key.GATEWAY_PUBLIC_URL, text);
        if (uri.isPresent() && (uri.get().getRawQuery() != null || uri.get().getRawFragment() != null)) {
            problems.add("gateway.public.url: '" + text + "' must not have a query or fragment");
        }
        return uri.map(u -> text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    /**
     * An http(s) URL with a host. One with a user name or password is refused, and the messages
     * never quote them: credentials in a URL would travel in every forwarded request's {@code
     * Host} and stand in the log; Jira's belong in {@code upstream.identity}.
     */
    private Optional<URI> httpUrl(Key key, String text) {
        String shown = USER_INFO.matcher(text).replaceFirst("$1…@");
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getRawUserInfo() != null) {
                problems.add(key.key() + ": '" + shown + "' holds a user name or password, which would be sent"
                        + " and logged with every request; give Jira's credentials with"
                        + " upstream.identity=service-account instead");
                return Optional.empty();
            }
            if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
                problems.add(key.key() + ": '" + shown + "' is not an http(s) URL with a host");
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            problems.add(key.key() + ": '" + shown + "' is not a URL (" + e.getReason() + ")");
            return Optional.empty();
        }
    }

    /** What stands between {@code //} and the last {@code @} of the authority, user info or not. */
    private static final Pattern USER_INFO = Pattern.compile("^([^/]*//)[^/?#]*@");

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "node";
        }
    }
}
