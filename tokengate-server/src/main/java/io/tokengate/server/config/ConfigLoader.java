package io.tokengate.server.config;

import io.tokengate.server.gateway.RefusedNames;
import io.tokengate.server.gateway.UpstreamIdentity;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * Loads and validates the configuration: reads {@code tokengate.properties} from the home
 * directory, merges environment and flags ({@link Settings}), converts every value and checks
 * that they fit together, reporting every problem at once.
 *
 * <p>It assembles the gateway's settings and checks those that span keys; the parts read their
 * own: single values by {@link ConfigValues}, URLs by {@link UrlSettings}, files under the home
 * by {@link HomeFiles}, the store's by {@link StoreSettings}, the admin plane's by {@link
 * AdminSettings}. All note their problems in the one list, in the order they are read.
 */
public final class ConfigLoader {
    public static final String FILE_NAME = "tokengate.properties";

    private final List<String> problems = new ArrayList<>();
    private final List<Path> unusable = new ArrayList<>();
    private final Settings settings;
    private final ConfigValues values;

    private ConfigLoader(Settings settings) {
        this.settings = settings;
        this.values = new ConfigValues(settings, problems);
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
        LoadedConfig loaded = read(home, environment, flags, serving);
        if (!loaded.problems().isEmpty()) {
            throw new ConfigException(loaded.problems());
        }
        return loaded.config();
    }

    /**
     * The configuration however many problems it has, for {@code config check}: defaults stand in
     * for the values that have one, and {@link LoadedConfig#failedAmong} tells a check whether it
     * would look at such a default. Never to serve from.
     *
     * @see #load
     */
    public static LoadedConfig read(
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
        TokengateConfig config = loader.build(home, serving);
        return new LoadedConfig(
                config, loader.problems, loader.values.failed(), fileProblems.isEmpty(), loader.unusable);
    }

    private TokengateConfig build(Path home, boolean serving) {
        int gatewayPort = values.port(Key.GATEWAY_PORT);
        int adminPort = values.port(Key.ADMIN_PORT);
        if (gatewayPort != 0 && gatewayPort == adminPort) {
            problems.add("gateway.port and admin.port are both " + gatewayPort);
        }
        Optional<String> publicUrl =
                settings.get(Key.GATEWAY_PUBLIC_URL).flatMap(u -> UrlSettings.publicUrl(values, u));
        Optional<URI> upstream =
                settings.get(Key.UPSTREAM_URL).flatMap(u -> UrlSettings.httpUrl(values, Key.UPSTREAM_URL, u));
        if (serving && settings.get(Key.UPSTREAM_URL).isEmpty()) {
            values.problem(
                    Key.UPSTREAM_URL,
                    "upstream.url is not set: where is Jira? (e.g. upstream.url=https://jira.example.com,"
                            + " or --upstream URL, or TOKENGATE_UPSTREAM_URL)");
        }
        Set<String> schemes = values.list(Key.AUTH_SCHEMES, s -> s.toLowerCase(Locale.ROOT));
        for (String scheme : schemes) {
            if (!scheme.equals("basic") && !scheme.equals("bearer")) {
                values.problem(
                        Key.AUTH_SCHEMES, "auth.schemes: unknown scheme '" + scheme + "' (expected basic, bearer)");
            }
        }
        if (schemes.isEmpty()) {
            values.problem(Key.AUTH_SCHEMES, "auth.schemes is empty: no client could authenticate");
        }
        List<String> endpoints = values.pathPrefixes(Key.GATEWAY_ENDPOINTS, "/rest/");
        List<String> excludedEndpoints =
                values.value(Key.GATEWAY_ENDPOINTS_EXCLUDED).equalsIgnoreCase("none")
                        ? List.of()
                        : values.pathPrefixes(Key.GATEWAY_ENDPOINTS_EXCLUDED, "/rest/pat/");
        int bodyInspectMax = (int) values.integer(Key.BODY_INSPECT_MAX, 1, Integer.MAX_VALUE - 16);
        long bodyInspectMemory = bodyInspectMemory(bodyInspectMax);
        // Read once: both planes throttle logins, and a value read twice would be a problem twice.
        int loginMaxFailures = (int) values.integer(Key.LOGIN_MAX_FAILURES, 0, 1_000_000);
        Duration loginWindow = Duration.ofSeconds(values.integer(Key.LOGIN_WINDOW_SECONDS, 1, 86_400));
        TokengateConfig config = new TokengateConfig(
                home,
                HomeFiles.logDir(values, home),
                values.host(Key.GATEWAY_HOST),
                gatewayPort,
                publicUrl,
                serving
                        ? HomeFiles.tls(values, home, Key.GATEWAY_TLS_KEYSTORE, Key.GATEWAY_TLS_KEYSTORE_PASSWORD)
                        : Optional.empty(),
                serving
                        ? HomeFiles.tls(values, home, Key.ADMIN_TLS_KEYSTORE, Key.ADMIN_TLS_KEYSTORE_PASSWORD)
                        : Optional.empty(),
                Duration.ofSeconds(values.integer(Key.TLS_CHECK_SECONDS, 0, 86_400)),
                endpoints,
                excludedEndpoints,
                refused(),
                values.ipList(Key.GATEWAY_TRUSTED_PROXIES),
                values.host(Key.ADMIN_HOST),
                adminPort,
                upstream,
                HomeFiles.upstreamTrust(values, home),
                identity(),
                schemes.contains("basic"),
                schemes.contains("bearer"),
                values.list(Key.RUNAS_GROUPS, Function.identity()),
                bodyInspectMax,
                bodyInspectMemory,
                Duration.ofMillis(values.integer(Key.BODY_INSPECT_TIMEOUT_MS, 0, 86_400_000)),
                loginMaxFailures,
                loginWindow,
                Duration.ofMillis(values.integer(Key.UPSTREAM_CONNECT_TIMEOUT_MS, 1, 600_000)),
                Duration.ofMillis(values.integer(Key.UPSTREAM_IDLE_TIMEOUT_MS, 1, 3_600_000)),
                Duration.ofMillis(values.integer(Key.UPSTREAM_RESPONSE_TIMEOUT_MS, 0, 86_400_000)),
                Duration.ofMillis(values.integer(Key.AUDIT_RESERVE_WAIT_MS, 0, 60_000)),
                StoreSettings.read(values, home),
                AdminSettings.read(values, loginMaxFailures, loginWindow),
                settings.effective());
        List<HomeAccess.Denied> denied = HomeAccess.denied(config);
        denied.forEach(place -> unusable.add(place.path()));
        problems.addAll(HomeAccess.problems(home, denied));
        return config;
    }

    /** {@code gateway.refused.headers} and {@code gateway.refused.parameters}, when they make sense. */
    private RefusedNames refused() {
        Set<String> headers = values.list(Key.GATEWAY_REFUSED_HEADERS, Function.identity());
        for (String header : headers) {
            RefusedNames.notRefusable(header)
                    .ifPresent(why -> values.problem(
                            Key.GATEWAY_REFUSED_HEADERS, Key.GATEWAY_REFUSED_HEADERS.key() + ": " + why));
        }
        Set<String> parameters = values.list(Key.GATEWAY_REFUSED_PARAMETERS, Function.identity());
        for (String parameter : parameters) {
            if (!parameter.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '=' && c != '&')) {
                values.problem(
                        Key.GATEWAY_REFUSED_PARAMETERS,
                        Key.GATEWAY_REFUSED_PARAMETERS.key() + ": '" + parameter
                                + "' is not a parameter name (printable ASCII, without '=' or '&'; as decoded, not"
                                + " percent-encoded)");
            }
        }
        return new RefusedNames(headers, parameters);
    }

    /**
     * {@code body.inspect.memory}, or an eighth of this JVM's heap (0); never less than {@code
     * body.inspect.max}, or a body the gateway reads would find no room however idle it was.
     */
    private long bodyInspectMemory(int bodyInspectMax) {
        long configured = values.integer(Key.BODY_INSPECT_MEMORY, 0, Long.MAX_VALUE);
        long memory = configured == 0 ? Runtime.getRuntime().maxMemory() / 8 : configured;
        if (memory >= bodyInspectMax) {
            return memory;
        }
        values.problem(
                Key.BODY_INSPECT_MEMORY,
                configured == 0
                        ? "body.inspect.max (" + bodyInspectMax + ") is more than an eighth of the heap (" + memory
                                + " bytes), which body.inspect.memory leaves to request bodies: give the JVM more heap"
                                + " (TOKENGATE_JAVA_OPTS=-Xmx...) or set body.inspect.memory"
                        : "body.inspect.memory (" + memory + ") is less than body.inspect.max (" + bodyInspectMax
                                + "): no body that large could be read");
        return bodyInspectMax;
    }

    /**
     * {@code user-credential}, with the service account's settings, if given, as an account that
     * only looks users up (to tell a deactivated user from an expired credential).
     */
    private UpstreamIdentity userCredential() {
        Optional<String> token = settings.get(Key.UPSTREAM_SERVICE_TOKEN);
        Optional<String> user = settings.get(Key.UPSTREAM_SERVICE_USER);
        Optional<String> password = settings.get(Key.UPSTREAM_SERVICE_PASSWORD);
        if (token.isPresent()) {
            return UpstreamIdentity.userCredentialWithLookupBearer(token.get());
        }
        if (user.isPresent() != password.isPresent()) {
            values.problem(
                    Key.UPSTREAM_IDENTITY,
                    "upstream.identity=user-credential looks users up in Jira with upstream.service.user and"
                            + " upstream.service.password together (or upstream.service.token), not one alone");
        }
        return user.isPresent() && password.isPresent()
                ? UpstreamIdentity.userCredentialWithLookup(user.get(), password.get())
                : UpstreamIdentity.userCredential();
    }

    private UpstreamIdentity identity() {
        String mode = values.value(Key.UPSTREAM_IDENTITY).toLowerCase(Locale.ROOT);
        switch (mode) {
            case "header":
                try {
                    return UpstreamIdentity.header(values.value(Key.UPSTREAM_IDENTITY_HEADER));
                } catch (IllegalArgumentException e) {
                    values.problem(Key.UPSTREAM_IDENTITY_HEADER, "upstream.identity.header: " + e.getMessage());
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
                    values.problem(
                            Key.UPSTREAM_IDENTITY,
                            "upstream.identity=service-account needs upstream.service.user and"
                                    + " upstream.service.password, or upstream.service.token");
                    return UpstreamIdentity.header(UpstreamIdentity.DEFAULT_HEADER);
                }
                return UpstreamIdentity.serviceAccountBasic(user.get(), password.get());
            case "user-credential":
                return userCredential();
            default:
                values.problem(
                        Key.UPSTREAM_IDENTITY,
                        "upstream.identity: unknown mode '" + mode + "' (expected header, service-account,"
                                + " user-credential)");
                return UpstreamIdentity.header(UpstreamIdentity.DEFAULT_HEADER);
        }
    }
}
