package io.tokengate.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.server.gateway.GatewayConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream timeouts reach the data plane as set, within their bounds; a value out of them
 * stops a start with a message naming the setting, the value and where it came from.
 */
class UpstreamTimeoutsTest {
    @TempDir
    Path home;

    @Test
    void theResponseTimeoutIsFiveMinutesUnlessSet() {
        assertThat(gateway(Map.of()).responseTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(gateway(Map.of("upstream.response.timeout.ms", "1500")).responseTimeout())
                .isEqualTo(Duration.ofMillis(1500));
        assertThat(gateway(Map.of("upstream.response.timeout.ms", "0")).responseTimeout())
                .as("0: no limit")
                .isZero();
    }

    @Test
    void aNegativeOrNonNumericResponseTimeoutIsAProblem() {
        assertThat(ConfigProblems.of(home, Map.of("upstream.response.timeout.ms", "-1")))
                .singleElement()
                .asString()
                .startsWith("upstream.response.timeout.ms: -1 is outside 0..86400000 (from ");
        assertThat(ConfigProblems.of(home, Map.of("upstream.response.timeout.ms", "5min")))
                .singleElement()
                .asString()
                .startsWith("upstream.response.timeout.ms: '5min' is not a whole number (from ");
        assertThat(ConfigProblems.of(home, Map.of("upstream.response.timeout.ms", "99_999_999_999_999_999_999")))
                .as("a whole number beyond a long is outside too")
                .singleElement()
                .asString()
                .startsWith("upstream.response.timeout.ms: 99999999999999999999 is outside 0..86400000 (from ");
    }

    private GatewayConfig gateway(Map<String, String> settings) {
        Map<String, String> flags = new HashMap<>(settings);
        flags.put("upstream.url", "https://jira.example.com");
        return ConfigLoader.load(home, Map.of(), flags, true).gateway("http://localhost:8080");
    }
}
