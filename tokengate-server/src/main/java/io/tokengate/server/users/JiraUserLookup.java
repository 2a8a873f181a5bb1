package io.tokengate.server.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokengate.server.gateway.DirectoryUnavailableException;
import io.tokengate.server.users.JiraVerdict.Standing;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Whether Jira says a user it refused to act as is deactivated or deleted: {@code GET
 * /rest/api/2/user?username=NAME}, asked as an account that may look users up ({@link
 * io.tokengate.server.gateway.UpstreamIdentity#lookupAuthorization}), not as the user. Jira refuses
 * a deactivated user, a deleted one and an expired credential alike (401 to {@code /myself}); only
 * this answer tells them apart: {@code "active": false}, or a 404 with Jira's error body.
 */
final class JiraUserLookup {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "/rest/api/2/user";

    private JiraUserLookup() {}

    /**
     * DEACTIVATED or NO_SUCH_USER when Jira says so; empty for any other answer (active, refused,
     * not JSON, about somebody else), or when Jira cannot be asked now: then nothing more is known
     * than before asking.
     */
    static Optional<JiraVerdict> gone(JiraRest jira, String authorization, String name) {
        HttpResponse<byte[]> answer;
        try {
            answer = jira.get(
                    USER + "?username=" + URLEncoder.encode(name, StandardCharsets.UTF_8),
                    Map.of("Authorization", authorization));
        } catch (DirectoryUnavailableException e) {
            return Optional.empty();
        }
        JsonNode body;
        try {
            body = JSON.readTree(answer.body());
        } catch (IOException e) {
            return Optional.empty();
        }
        // A 404 is Jira's word only with Jira's error body: a wrong context path, or a proxy in
        // between, answers 404 for every name, which must not make every user gone.
        if (answer.statusCode() == 404
                && body != null
                && body.path("errorMessages").isArray()) {
            return Optional.of(new JiraVerdict(
                    Standing.NO_SUCH_USER,
                    Optional.of("Jira has no user " + name + " (404 to " + USER + "): deleted from Jira")));
        }
        if (answer.statusCode() == 200
                && body != null
                && body.path("name").asText("").equalsIgnoreCase(name)
                && body.path("active").isBoolean()
                && !body.path("active").asBoolean()) {
            return Optional.of(new JiraVerdict(
                    Standing.DEACTIVATED,
                    Optional.of("Jira has deactivated " + name + " (" + USER + " shows them inactive)")));
        }
        return Optional.empty();
    }
}
