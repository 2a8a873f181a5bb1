package io.tokengate.server.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokengate.server.config.AdminConfig;
import io.tokengate.server.config.TokengateConfig;
import io.tokengate.server.gateway.LoginThrottle;
import io.tokengate.server.http.ErrorResponse;
import io.tokengate.server.http.RequestIds;
import io.tokengate.server.http.UnreadBody;
import io.tokengate.server.users.CachedIdentity;
import io.tokengate.server.users.IdentitySource;
import io.tokengate.server.users.JiraIdentity;
import io.tokengate.server.users.JiraUserDirectory;
import io.tokengate.server.users.LocalUsers;
import io.tokengate.server.users.OperatorIdentity;
import io.tokengate.store.Store;
import io.tokengate.store.StoreHealth;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The admin plane's requests: the REST API under {@code /api/v1} (see {@code openapi.yaml} beside
 * this class), the web UI that uses it ({@code /}, see {@link WebUi}), and {@code /health/live} and
 * {@code /health/ready}.
 */
public final class AdminHandler extends Handler.Abstract {
    private static final String API = "/api/v1/";

    private final Store store;
    private final ApiHandler api;
    private final WebUi ui = new WebUi();

    private AdminHandler(Store store, ApiHandler api) {
        this.store = store;
        this.api = api;
    }

    /**
     * @param localUsers the local users (signing in when {@code identity.source = local}, and
     *     {@code /api/v1/users})
     * @param jiraUsers what Jira says of users now, when {@code identity.source = jira}: sessions
     *     follow it; else null
     * @param usersChanged drops what the data plane caches about users, after a change here
     * @param gatewayUrl the gateway's public URL, for code snippets
     * @param dataThrottle the data plane's login throttle, which admins see and lift
     */
    public static AdminHandler create(
            TokengateConfig config,
            Store store,
            LocalUsers localUsers,
            JiraUserDirectory jiraUsers,
            Runnable usersChanged,
            String gatewayUrl,
            String adminUrl,
            LoginThrottle dataThrottle,
            Clock clock) {
        return create(
                config, store, localUsers, usersChanged, gatewayUrl, adminUrl, dataThrottle, clock, jiraUsers, null);
    }

    /**
     * The admin plane for a command line working offline on a home directory: the same API, whose
     * only identity is {@code operator}.
     *
     * @param jiraUsers what Jira says of users, when {@code identity.source = jira} (a token is
     *     bound only to a user Jira knows, offline too); else null
     */
    public static AdminHandler forOperator(
            TokengateConfig config,
            Store store,
            LocalUsers localUsers,
            JiraUserDirectory jiraUsers,
            String gatewayUrl,
            Clock clock,
            OperatorIdentity operator) {
        return create(
                config, store, localUsers, () -> {}, gatewayUrl, null, noDataPlane(clock), clock, jiraUsers, operator);
    }

    /** Where no data plane runs (a command line offline): a throttle that never counts. */
    private static LoginThrottle noDataPlane(Clock clock) {
        return new LoginThrottle(0, Duration.ofSeconds(1), clock);
    }

    private static AdminHandler create(
            TokengateConfig config,
            Store store,
            LocalUsers localUsers,
            Runnable usersChanged,
            String gatewayUrl,
            String adminUrl,
            LoginThrottle dataThrottle,
            Clock clock,
            JiraUserDirectory jiraUsers,
            IdentitySource only) {
        Wiring wiring = wire(
                config, store, localUsers, usersChanged, gatewayUrl, adminUrl, dataThrottle, clock, jiraUsers, only);
        return new AdminHandler(
                store, new ApiHandler(wiring.router(), wiring.authenticator(), config.trustedProxies()));
    }

    /** Every route of the API, for tests that compare them with openapi.yaml. */
    static Router router(
            TokengateConfig config, Store store, LocalUsers localUsers, Runnable usersChanged, Clock clock) {
        return wire(
                        config,
                        store,
                        localUsers,
                        usersChanged,
                        "http://localhost",
                        null,
                        noDataPlane(clock),
                        clock,
                        null,
                        null)
                .router();
    }

    private record Wiring(Router router, Authenticator authenticator) {}

    private static Wiring wire(
            TokengateConfig config,
            Store store,
            LocalUsers localUsers,
            Runnable usersChanged,
            String gatewayUrl,
            String adminUrl,
            LoginThrottle dataThrottle,
            Clock clock,
            JiraUserDirectory jiraUsers,
            IdentitySource only) {
        AdminConfig admin = config.admin();
        IdentitySource source = only != null
                ? only
                : admin.identitySource() == AdminConfig.IdentitySource.JIRA
                        ? new JiraIdentity(
                                config.upstream().orElseThrow(),
                                config.upstreamTrust(),
                                config.connectTimeout(),
                                jiraUsers)
                        : localUsers;
        CachedIdentity identity = new CachedIdentity(source, admin.credentialCache());
        AdminAudit audit = new AdminAudit(
                store.auditSink(), config.auditReserveWait(), config.store().nodeId(), clock);
        Sessions sessions = new Sessions(store.sessions(), admin, clock);
        LoginThrottle throttle = new LoginThrottle(admin.loginMaxFailures(), admin.loginWindow(), clock);
        store.cluster().shareLoginFailures("admin", throttle);
        Authenticator authenticator = new Authenticator(identity, sessions, throttle, audit, admin, adminUrl);
        Router router = new Router();
        boolean local = admin.identitySource() == AdminConfig.IdentitySource.LOCAL;
        VisibleTokens visible = new VisibleTokens(store.tokens());
        new TokenResource(
                        store.tokens(),
                        visible,
                        config.identity(),
                        new JiraBinding(local ? null : jiraUsers),
                        audit,
                        clock)
                .routes(router);
        new SnippetResource(visible, store.tokens(), audit, gatewayUrl).routes(router);
        new CheckResource(
                        visible,
                        config.endpoints(),
                        config.excludedEndpoints(),
                        gatewayUrl,
                        config.bodyInspectMax(),
                        config.identity(),
                        config.refused())
                .routes(router);
        new AuditResource(store.auditLog()).routes(router);
        new SettingsResource(config, store.tokens()::secureMode).routes(router);
        new BackupResource(store, config.home(), audit).routes(router);
        new ThrottleResource(dataThrottle, throttle, store, audit, clock).routes(router);
        Runnable localUsersChanged = () -> {
            identity.invalidateAll();
            usersChanged.run();
        };
        UserTokens userTokens = new UserTokens(store.tokens(), store.users(), audit, clock);
        userTokens.routes(router);
        new UserResource(
                        localUsers,
                        local,
                        store.tokens()::secureMode,
                        gatewayUrl,
                        config.identity().mode(),
                        sessions,
                        audit,
                        localUsersChanged,
                        userTokens)
                .routes(router);
        new PasswordResource(localUsers, local, authenticator, sessions, audit, localUsersChanged).routes(router);
        new CredentialResource(
                        store.users(),
                        store.upstreamCredentials(),
                        audit,
                        () -> {
                            identity.invalidateAll();
                            usersChanged.run();
                        },
                        local ? null : jiraUsers)
                .routes(router);
        new SessionResource(authenticator, sessions, audit).routes(router);
        new OpenApiResource().routes(router);
        return new Wiring(router, authenticator);
    }

    @Override
    public boolean handle(Request request, Response plain, Callback callback) {
        // Endpoints read a body, if at all, before they answer; many answer without reading it.
        Response response = UnreadBody.skippedOnCommit(plain);
        String requestId = RequestIds.next();
        response.getHeaders().put("X-Request-Id", requestId);
        String path = Request.getPathInContext(request);
        if (path.startsWith(API)) {
            api.handle(request, response, callback, requestId);
            return true;
        }
        if (ui.serves(path)) {
            ui.send(request, response, callback, path, requestId);
            return true;
        }
        switch (path) {
            case "/health/live" -> json(response, callback, HttpStatus.OK_200, "{\"status\":\"UP\"}");
            case "/health/ready" -> {
                StoreHealth health = store.status().health();
                json(
                        response,
                        callback,
                        health.ready() ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503,
                        readiness(health));
            }
            default -> ErrorResponse.send(
                    response, callback, HttpStatus.NOT_FOUND_404, "No such admin resource.", requestId);
        }
        return true;
    }

    /**
     * Ready or not, and which of the conditions holds: for whoever is paged, without the
     * database's address or any other detail (the log has those; no sign-in is asked here).
     */
    private static String readiness(StoreHealth health) {
        ObjectNode json = Json.object();
        json.put("status", health.ready() ? "UP" : "DOWN");
        ObjectNode checks = json.putObject("checks");
        checks.put("database", health.databaseReachable() ? "UP" : "DOWN");
        checks.put("clusterListener", health.listener().name());
        checks.put("auditQueue", health.auditFull() ? "FULL" : "UP");
        checks.put("auditWrites", health.auditFailing() ? "FAILING" : "UP");
        return json.toString();
    }

    private static void json(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Content.Sink.write(response, true, body, callback);
    }
}
