package io.tokengate.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.request.Quote;
import io.tokengate.core.token.IpAllowList;
import io.tokengate.server.gateway.ClientAddress;
import io.tokengate.server.gateway.LoginThrottle;
import io.tokengate.server.gateway.LoginThrottle.Failing;
import io.tokengate.store.Store;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.util.URIUtil;

/**
 * {@code GET /api/v1/throttles} and {@code DELETE /api/v1/throttles/{address}} (admins): the
 * client addresses with failed logins now, per plane ({@code data}: tokens, {@code admin}:
 * sign-ins), and lifting an address's throttle, so that its next login is checked as any other.
 * A lift is told to every node of a cluster ({@link Store#cluster()}) before this node
 * forgets, and is audited as {@code THROTTLE_LIFTED}. An address without failures answers 200 all
 * the same, {@code "lifted": false}: a script may lift what it finds, or what it was told of, and
 * have done what it meant either way. Nothing here names a credential.
 */
final class ThrottleResource {
    /** Most addresses listed; the rest are counted in {@code omitted}. */
    static final int MAX_LISTED = 1000;

    private final Map<String, LoginThrottle> planes;
    private final Store store;
    private final AdminAudit audit;
    private final Clock clock;

    /** @param data the data plane's throttle (tokens); @param admin the admin plane's (sign-ins) */
    ThrottleResource(LoginThrottle data, LoginThrottle admin, Store store, AdminAudit audit, Clock clock) {
        this.planes = new LinkedHashMap<>();
        this.planes.put("data", data);
        this.planes.put("admin", admin);
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    void routes(Router router) {
        router.add("GET", "/api/v1/throttles", this::list);
        router.add("DELETE", "/api/v1/throttles/{address}", this::lift);
    }

    private void list(ApiExchange ex) {
        ex.requireAdmin("Listing login throttles");
        ex.allowQuery("plane", "address");
        List<String> asked = planes(ex);
        Optional<InetAddress> only = ex.query("address").map(ThrottleResource::address);
        Instant now = clock.instant();
        ObjectNode json = Json.object();
        ArrayNode listed = json.putArray("throttles");
        int omitted = 0;
        for (String plane : asked) {
            for (Failing failing : planes.get(plane).failing()) {
                if (only.isPresent() && !only.equals(ClientAddress.parse(failing.address()))) {
                    continue;
                }
                if (listed.size() >= MAX_LISTED) {
                    omitted++;
                    continue;
                }
                listed.add(entry(plane, failing, now));
            }
        }
        json.put("omitted", omitted);
        ex.send(200, json);
    }

    private void lift(ApiExchange ex) {
        AdminAudit.Action action = audit.begin(ex, AuditKind.THROTTLE_LIFTED);
        ex.requireAdmin("Lifting a login throttle");
        ex.allowQuery("plane");
        List<String> asked = planes(ex);
        InetAddress address = address(decoded(ex.pathParam("address")));
        String shown = address.getHostAddress();
        // What this node counted, before it is told to forget it: its own listener may hear the
        // request below, and forget, before this thread does.
        Map<String, Optional<Failing>> counted = new LinkedHashMap<>();
        asked.forEach(plane -> counted.put(plane, planes.get(plane).counted(address)));
        // The other nodes first: when they cannot be told (503), nothing has changed anywhere.
        boolean cluster = store.cluster().forgetLoginFailures(asked, shown);
        Instant now = clock.instant();
        List<String> notes = new ArrayList<>();
        ObjectNode json = Json.object();
        json.put("address", shown);
        asked.forEach(json.putArray("planes")::add);
        ArrayNode forgotten = json.putArray("forgotten");
        for (String plane : asked) {
            Optional<Failing> was = planes.get(plane).forget(address).or(() -> counted.get(plane));
            was.ifPresent(failing -> {
                forgotten.add(entry(plane, failing, now));
                notes.add(plane + " plane: " + failing.failures() + " failed logins forgotten"
                        + (failing.throttled() ? ", throttle lifted" : ""));
            });
        }
        boolean lifted = !notes.isEmpty();
        String told = cluster ? "; every node was told to forget them" : "";
        String found = lifted
                ? String.join("; ", notes)
                : "nothing to lift, no failed logins counted on this node (" + String.join(", ", asked) + ")";
        json.put("lifted", lifted);
        json.put("cluster", cluster);
        json.put(
                "message",
                (lifted ? "Lifted " + shown + ": " : shown + ": ")
                        + found
                        + told
                        + (lifted ? ". Its next login is checked as any other." : "."));
        action.allow(200, "login throttle of " + shown + ": " + found + told);
        ex.send(200, json);
    }

    private static ObjectNode entry(String plane, Failing failing, Instant now) {
        ObjectNode entry = Json.object();
        entry.put("plane", plane);
        entry.put("address", failing.address());
        entry.put("failures", failing.failures());
        entry.put("throttled", failing.throttled());
        entry.set("lastFailureAt", Json.instant(failing.lastFailure()));
        entry.set("until", Json.instant(failing.until()));
        long left = failing.throttled()
                ? Math.max(1, Duration.between(now, failing.until()).toSeconds())
                : 0;
        entry.put("secondsLeft", left);
        return entry;
    }

    /** The planes {@code ?plane=} names: one, or both when absent. */
    private List<String> planes(ApiExchange ex) {
        Optional<String> plane = ex.query("plane");
        if (plane.isEmpty()) {
            return List.copyOf(planes.keySet());
        }
        if (!planes.containsKey(plane.get())) {
            throw ApiError.badRequest(
                    "plane",
                    "'" + Quote.shorten(plane.get()) + "' is not a plane (expected data or admin; absent: both)");
        }
        return List.of(plane.get());
    }

    /**
     * A path parameter percent-decoded: the request's path keeps encoded what may not stand in a
     * path as it is, such as the brackets of {@code [2001:db8::7]}.
     */
    private static String decoded(String parameter) {
        try {
            return URIUtil.decodePath(parameter);
        } catch (IllegalArgumentException e) {
            return parameter; // not decodable: refused as it stands
        }
    }

    /**
     * An IP address literal, IPv6 perhaps in brackets as the log writes it, never looked up in
     * DNS; 400 for anything else.
     */
    private static InetAddress address(String given) {
        String text = given == null ? "" : given.strip();
        String literal = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        Optional<String> problem = IpAllowList.addressProblem(literal);
        Optional<InetAddress> address = problem.isPresent() ? Optional.empty() : ClientAddress.parse(literal);
        return address.orElseThrow(() -> ApiError.badRequest(
                "address",
                "'" + Quote.shorten(text) + "' is "
                        + problem.map(p -> p.startsWith("not an IP address") ? p : "not an IP address: " + p)
                                .orElse("not an IP address")));
    }
}
