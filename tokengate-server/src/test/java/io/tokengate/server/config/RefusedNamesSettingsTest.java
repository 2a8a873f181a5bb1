package io.tokengate.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.server.gateway.RefusedNames;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gateway.refused.headers} and {@code gateway.refused.parameters}. */
class RefusedNamesSettingsTest {
    @TempDir
    Path home;

    @Test
    void namesAreReadAsTheyAreCompared() {
        RefusedNames refused = ConfigLoader.load(
                        home,
                        Map.of(),
                        Map.of(
                                "gateway.refused.headers", " X_Run_As , Sudo-User",
                                "gateway.refused.parameters", "runAs, impersonate"),
                        false)
                .refused();
        assertThat(refused.headers()).isEqualTo(Set.of("x-run-as", "sudo-user"));
        assertThat(refused.parameters()).isEqualTo(Set.of("runas", "impersonate"));
    }

    @Test
    void byDefaultNothingBeyondTheGatewaysOwn() {
        assertThat(ConfigLoader.load(home, Map.of(), Map.of(), false).refused()).isEqualTo(RefusedNames.NONE);
    }

    /** A header the gateway reads itself would refuse every request that must send it. */
    @Test
    void headersThatAreNotNamesOrThatTheGatewayReadsAreProblems() {
        assertThat(ConfigProblems.of(
                        home,
                        Map.of(
                                "gateway.refused.headers", "Authorization, Content_Type, X Run As, x-run-as",
                                "gateway.refused.parameters", "run=as, ok, a&b, caf\u00e9")))
                .containsExactly(
                        "gateway.refused.headers: Authorization is a header the gateway reads itself; clients must"
                                + " be able to send it",
                        "gateway.refused.headers: Content_Type is a header the gateway reads itself; clients must"
                                + " be able to send it",
                        "gateway.refused.headers: 'X Run As' is not a header name",
                        "gateway.refused.parameters: 'run=as' is not a parameter name (printable ASCII, without"
                                + " '=' or '&'; as decoded, not percent-encoded)",
                        "gateway.refused.parameters: 'a&b' is not a parameter name (printable ASCII, without '='"
                                + " or '&'; as decoded, not percent-encoded)",
                        "gateway.refused.parameters: 'caf\u00e9' is not a parameter name (printable ASCII, without"
                                + " '=' or '&'; as decoded, not percent-encoded)");
    }
}
