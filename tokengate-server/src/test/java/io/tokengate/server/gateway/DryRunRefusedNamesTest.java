package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.limits.LimitsParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The dry runs refuse what the administrator has the gateway refuse, in the gateway's words. */
class DryRunRefusedNamesTest {
    private static final String URL = "https://gw.example.com/rest/api/2/issue/AAA-1/comment";

    private static DryRun run(RefusedNames refused, String query, List<String> headers, String body) {
        DryRun.Settings settings = new DryRun.Settings(
                (url, path) -> Optional.empty(), 1 << 20, UpstreamIdentity.header("X-Forwarded-User"), refused);
        return DryRun.of(
                LimitsParser.parse(".*"),
                new DryRun.Sample(
                        body == null ? "GET" : "POST",
                        URL + query,
                        headers,
                        body == null ? null : body.getBytes(StandardCharsets.UTF_8)),
                settings);
    }

    private static final RefusedNames RUN_AS = new RefusedNames(Set.of("X-Run-As"), Set.of("runAs"));

    @Test
    void aRefusedHeaderIsRefusedBeforeAnyLimits() {
        DryRun run = run(RUN_AS, "", List.of("X_RUN_AS: bob"), null);
        assertThat(run.allowed()).isFalse();
        assertThat(run.explanation())
                .isEqualTo("REJECTED (400): the gateway refuses this request before any limits apply:"
                        + " header X_RUN_AS refused by gateway.refused.headers");
    }

    @Test
    void aRefusedParameterIsRefusedInTheQueryAndInAFormBody() {
        assertThat(run(RUN_AS, "?RunAs=bob", List.of(), null).explanation())
                .isEqualTo("REJECTED (400): the gateway refuses this request before any limits apply:"
                        + " parameter RunAs refused by gateway.refused.parameters");
        assertThat(run(RUN_AS, "", List.of("Content-Type: application/x-www-form-urlencoded"), "runas=bob")
                        .explanation())
                .isEqualTo("REJECTED (400): The parameter runas is refused by this gateway in a form body"
                        + " (gateway.refused.parameters).");
    }

    @Test
    void withoutTheSettingTheSameRequestsAreAllowed() {
        assertThat(run(RefusedNames.NONE, "?RunAs=bob", List.of("X-Run-As: bob"), null)
                        .allowed())
                .isTrue();
        assertThat(run(RefusedNames.NONE, "", List.of("Content-Type: application/x-www-form-urlencoded"), "runas=bob")
                        .allowed())
                .isTrue();
    }
}
