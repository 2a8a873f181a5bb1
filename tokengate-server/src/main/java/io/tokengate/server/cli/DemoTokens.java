package io.tokengate.server.cli;

import io.tokengate.core.token.CreatedToken;
import io.tokengate.core.token.Expiry;
import io.tokengate.core.token.Token;
import io.tokengate.core.token.TokenQuery;
import io.tokengate.core.token.TokenSecret;
import io.tokengate.core.token.TokenService;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.core.token.TokenStateException;
import io.tokengate.core.token.TokenStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The demo's tokens, one per example of the original product page, and the curl calls that
 * reproduce each example against the running gateway. Tokens are reused across demo runs (their
 * secrets are revealed again in standard mode), so pasted commands keep working.
 */
final class DemoTokens {
    /** One curl call and the status it should get. */
    record Call(String comment, String command, int expectedStatus) {}

    /** A demo token: its name, bound user, limits, and the calls that show what it allows and denies. */
    private record Example(String name, String user, String limits, String title, List<CallTemplate> calls) {}

    private record CallTemplate(String basicUser, String curl, int expectedStatus, String note) {}

    private static final String COMMENT =
            " -H \"Content-Type: application/json\" --data '{\"body\":\"Comment text\"}'" + " -X POST ";

    private static final List<Example> EXAMPLES = List.of(
            new Example(
                    "demo: admin, no restrictions",
                    "admin",
                    "",
                    "The page's GET and POST examples: a token bound to admin, without restrictions",
                    List.of(
                            new CallTemplate("admin", "curl -s -u %s GW/rest/api/2/issue/AAA-1", 200, "read an issue"),
                            new CallTemplate(
                                    "admin",
                                    "curl -u %s" + COMMENT + "GW/rest/api/2/issue/ISSUE-1/comment",
                                    201,
                                    "comment as admin"))),
            new Example(
                    "demo: ansible",
                    "ansible",
                    "",
                    "A token bound to ansible, used with the user's e-mail address as on the page",
                    List.of(new CallTemplate(
                            "ansible@ansible.jira.pl", "curl -s -u %s GW/rest/api/2/issue/AAA-1", 200, "as ansible"))),
            new Example(
                    "demo: JRA issues",
                    "admin",
                    ".*/rest/api/2/issue/JRA.*",
                    "Restriction to JRA project issues",
                    List.of(
                            new CallTemplate("admin", "curl -s -u %s GW/rest/api/2/issue/JRA-1", 200, "a JRA issue"),
                            new CallTemplate("admin", "curl -s -u %s GW/rest/api/2/issue/AAA-1", 403, "not JRA"))),
            new Example(
                    "demo: comment on KANBAN-100",
                    "admin",
                    "[post].*/rest/api/2/issue/KANBAN-100/comment.*",
                    "Restriction to the comment endpoint of KANBAN-100, POST only",
                    List.of(
                            new CallTemplate(
                                    "admin",
                                    "curl -s -u %s" + COMMENT + "GW/rest/api/2/issue/KANBAN-100/comment",
                                    201,
                                    "POST a comment"),
                            new CallTemplate(
                                    "admin", "curl -s -u %s GW/rest/api/2/issue/KANBAN-100/comment", 403, "GET"))),
            new Example(
                    "demo: filters with permissions",
                    "admin",
                    ".*/rest/extender/1.0/filter/user/.*[QueryParam::permissions==true]",
                    "Restriction to all filters of all users, only with permissions",
                    List.of(
                            new CallTemplate(
                                    "admin",
                                    "curl -s -u %s 'GW/rest/extender/1.0/filter/user/admin?permissions=true'",
                                    200,
                                    "permissions=true"),
                            new CallTemplate(
                                    "admin",
                                    "curl -s -u %s 'GW/rest/extender/1.0/filter/user/admin?permissions=true&permissions=false'",
                                    403,
                                    "a second value sneaked in"))),
            new Example(
                    "demo: worklogs of 2018",
                    "admin",
                    ".*rest/extender/1.0/worklog/user/.*[QueryParam::dateFrom==2018-01-01][QueryParam::dateTo==2018-12-01]",
                    "Restriction to worklogs in the date range 2018-01-01 - 2018-12-01",
                    List.of(
                            new CallTemplate(
                                    "admin",
                                    "curl -s -u %s 'GW/rest/extender/1.0/worklog/user/admin?dateFrom=2018-01-01&dateTo=2018-12-01'",
                                    200,
                                    "in range"),
                            new CallTemplate(
                                    "admin",
                                    "curl -s -u %s 'GW/rest/extender/1.0/worklog/user/admin?dateFrom=2017-01-01&dateTo=2018-12-01'",
                                    403,
                                    "out of range"))),
            new Example(
                    "demo: uneditable filters",
                    "admin",
                    ".*/rest/api/2/filter[JsonData::editable==false][JsonData::favourite==false]",
                    "Restriction to creating filters, uneditable only, without adding to favourites",
                    List.of(
                            new CallTemplate(
                                    "admin",
                                    "curl -s -u %s -H \"Content-Type: application/json\" --data"
                                            + " '{\"name\":\"All Open Bugs\",\"jql\":\"type = Bug and resolution is empty\","
                                            + "\"favourite\":false,\"editable\":false}' GW/rest/api/2/filter",
                                    200,
                                    "not a favourite"),
                            new CallTemplate(
                                    "admin",
                                    "curl -s -u %s -H \"Content-Type: application/json\" --data"
                                            + " '{\"name\":\"All Open Bugs\",\"description\":\"Lists all open bugs\","
                                            + "\"jql\":\"type = Bug and resolution is empty\",\"favourite\":true,\"editable\":false}'"
                                            + " GW/rest/api/2/filter",
                                    403,
                                    "the page's sample body adds a favourite"))));

    private DemoTokens() {}

    /** A section of the demo's output: a heading, the token's limits, and its calls. */
    record Section(String title, String limits, List<Call> calls) {}

    /** Makes sure every demo token exists with a known secret, and returns the calls to print. */
    static List<Section> ensure(TokenService tokens, String gatewayUrl) {
        List<Section> sections = new ArrayList<>();
        for (Example example : EXAMPLES) {
            TokenSecret secret = secretFor(tokens, example);
            List<Call> calls = new ArrayList<>();
            for (CallTemplate call : example.calls()) {
                String command = String.format(call.curl(), call.basicUser() + ":" + secret.reveal())
                        .replace("GW/", gatewayUrl + "/");
                calls.add(new Call(call.note(), command, call.expectedStatus()));
            }
            sections.add(new Section(example.title(), example.limits(), calls));
        }
        return sections;
    }

    private static TokenSecret secretFor(TokenService tokens, Example example) {
        Optional<Token> existing = tokens.list(TokenQuery.all().withNameContaining(example.name())).tokens().stream()
                .filter(t -> t.name().equals(example.name()))
                .filter(t -> t.status(java.time.Clock.systemUTC()) == TokenStatus.ACTIVE)
                .filter(t -> t.limits().equals(example.limits()))
                .findFirst();
        if (existing.isPresent()) {
            try {
                Optional<TokenSecret> revealed = tokens.reveal(existing.get().id());
                if (revealed.isPresent()) {
                    return revealed.get();
                }
            } catch (TokenStateException e) {
                // Secure mode, now or when the token was made: its secret is gone, make a new one.
                tokens.revoke(existing.get().id());
            }
        }
        TokenSpec spec = TokenSpec.bound(example.name(), example.user(), "demo").withLimits(example.limits());
        int maxDays = tokens.maxLifetimeDays();
        CreatedToken created = tokens.create(maxDays > 0 ? spec.withExpiry(Expiry.inDays(maxDays)) : spec);
        return created.secret();
    }
}
