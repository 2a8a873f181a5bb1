package io.tokengate.server.gateway;

import java.time.Instant;
import java.util.Objects;

/**
 * What the gateway learnt of a user who can no longer act in the upstream: Jira refused to act as
 * them, or said itself that it deactivated or deleted them. Learnt from an answer the gateway had
 * asked for anyway, never asked for its own sake per request or per listing.
 *
 * @param why in words for an audit record, a refusal and a token listing; never a secret
 * @param confirmed whether Jira said so itself ({@code GET /rest/api/2/user}: inactive, or no such
 *     user), rather than only refusing to act as them, which a misconfiguration could cause too
 * @param learntAt when Jira said so
 */
public record UserGone(String why, boolean confirmed, Instant learntAt) {
    public UserGone {
        Objects.requireNonNull(why, "why");
        Objects.requireNonNull(learntAt, "learntAt");
    }

    /** The remedy for the tokens bound to {@code user}, in words for whoever reads {@link #why}. */
    public static String remedy(String user) {
        return "if " + user + " has left, revoke the tokens bound to them (tokengate user revoke-tokens " + user
                + ", or POST /api/v1/users/" + user + "/tokens/revoke): a new user given the name later would"
                + " otherwise act with them";
    }
}
