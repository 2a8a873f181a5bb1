package io.tokengate.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane's directory when users come from Jira ({@code identity.source = jira}): what Jira
 * says of a user, merged with the user's local row if there is one (an upstream credential stored
 * in tokengate, groups given there). Jira is asked as the user, the way a forwarded request names
 * them ({@link UpstreamIdentity}):
 *
 * <ul>
 *   <li>{@code GET /rest/api/2/myself?expand=groups}: the name, e-mail address and groups;
 *   <li>{@code GET /rest/api/2/mypermissions?permissions=ADMINISTER}: a Jira administrator is an
 *       admin, as on the admin plane.
 * </ul>
 *
 * <p>Answers, found or not, are cached for {@code ttl}, so a change in Jira applies within it.
 * Failures are not cached: they fail the request that needed the answer ({@link
 * DirectoryUnavailableException}, 502) rather than let it be decided without Jira.
 *
 * <p>An answer about somebody else is never taken for the user asked about: a Jira that ignores
 * {@code contextUser} answers for the service account, which may well be an administrator. Such
 * an answer counts as not found, and is logged.
 */
public final class JiraUserDirectory implements UserDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(JiraUserDirectory.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UserDirectory local;
    private final String base;
    private final UpstreamIdentity identity;
    private final Duration timeout;
    private final HttpClient http;
    private final LoadingCache<String, Optional<DirectoryUser>> cache;

    /**
     * @param local the local users, for what tokengate keeps of a Jira user
     * @param gateway the upstream, how to name a user to it, and its timeouts
     * @param ttl how long an answer is kept
     */
    public JiraUserDirectory(UserDirectory local, GatewayConfig gateway, Duration ttl) {
        this.local = local;
        String text = gateway.upstream().toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.identity = gateway.identity();
        this.timeout = gateway.idleTimeout();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(gateway.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.cache =
                Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(ttl).build(this::load);
    }

    /**
     * @throws DirectoryUnavailableException when Jira cannot be asked
     */
    @Override
    public Optional<DirectoryUser> find(String name) {
        return cache.get(name.toLowerCase(Locale.ROOT));
    }

    /** Forgets every answer, after a change to local users on this node. */
    public void invalidate() {
        cache.invalidateAll();
    }

    private Optional<DirectoryUser> load(String name) {
        Optional<DirectoryUser> stored = local.find(name);
        String credential = stored.flatMap(DirectoryUser::upstreamCredential).orElse(null);
        if (identity.needsUserCredential()
                ? credential == null
                : identity.cannotName(name).isPresent()) {
            return stored; // Jira cannot be asked as this user
        }
        HttpResponse<byte[]> myself = get("/rest/api/2/myself?expand=groups", name, credential);
        if (myself.statusCode() == 401 || myself.statusCode() == 403 || myself.statusCode() == 404) {
            return stored;
        }
        JsonNode profile = okJson(myself, "/rest/api/2/myself");
        String answered = profile.path("name").asText("");
        if (!answered.equalsIgnoreCase(name)) {
            LOG.warn(
                    "Jira answered /rest/api/2/myself for '{}' when asked as '{}' ({}): taking '{}' for unknown",
                    answered,
                    name,
                    identity,
                    name);
            return stored;
        }
        boolean admin = okJson(
                        get("/rest/api/2/mypermissions?permissions=ADMINISTER", name, credential),
                        "/rest/api/2/mypermissions")
                .path("permissions")
                .path("ADMINISTER")
                .path("havePermission")
                .asBoolean(false);
        Set<String> groups = new HashSet<>();
        for (JsonNode group : profile.path("groups").path("items")) {
            String groupName = group.path("name").asText("");
            if (!groupName.isEmpty()) {
                groups.add(groupName);
            }
        }
        stored.ifPresent(user -> groups.addAll(user.groups()));
        String email = profile.path("emailAddress").asText("");
        return Optional.of(new DirectoryUser(
                answered,
                email.isEmpty() ? stored.map(DirectoryUser::email).orElse(null) : email,
                admin || stored.map(DirectoryUser::admin).orElse(false),
                groups,
                Optional.ofNullable(credential)));
    }

    private HttpResponse<byte[]> get(String path, String user, String credential) {
        HttpFields.Mutable headers = HttpFields.build();
        identity.apply(headers, user, credential);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Accept", "application/json")
                .GET();
        for (HttpField header : headers) {
            request.header(header.getName(), header.getValue());
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new DirectoryUnavailableException("cannot reach Jira at " + base + " to look up a user: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DirectoryUnavailableException("interrupted while looking up a user in Jira", e);
        }
    }

    private static JsonNode okJson(HttpResponse<byte[]> response, String what) {
        if (response.statusCode() != 200) {
            throw new DirectoryUnavailableException(
                    "Jira answered " + response.statusCode() + " to " + what + " for a user lookup", null);
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new DirectoryUnavailableException("Jira's " + what + " answer is not JSON", e);
        }
    }

    @Override
    public String toString() {
        return "JiraUserDirectory[" + base + ", " + identity + "]";
    }
}
