package io.tokengate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tokengate.server.gateway.GatewayConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code body.inspect.timeout.ms}, a minute unless set, and {@code body.inspect.memory}: an eighth of the heap unless set, and never less than {@code
 * body.inspect.max}, which would leave a body the gateway may read no room however idle it was.
 */
class BodyInspectMemoryTest {
    @TempDir
    Path home;

    @Test
    void theBodiesHeldForInspectionTakeAnEighthOfTheHeapUnlessSet() {
        assertThat(gateway(Map.of()).bodyInspectMemory())
                .isEqualTo(Runtime.getRuntime().maxMemory() / 8);
        assertThat(gateway(Map.of("body.inspect.memory", "5000000")).bodyInspectMemory())
                .isEqualTo(5_000_000);
    }

    @Test
    void lessMemoryThanTheLargestBodyIsAProblem() {
        assertThat(ConfigProblems.of(home, Map.of("body.inspect.memory", "1000", "body.inspect.max", "1001")))
                .singleElement()
                .asString()
                .isEqualTo("body.inspect.memory (1000) is less than body.inspect.max (1001): no body that large"
                        + " could be read");
        assertThat(gateway(Map.of("body.inspect.memory", "1000", "body.inspect.max", "1000"))
                        .bodyInspectMemory())
                .as("one body of the largest size fits")
                .isEqualTo(1000);
    }

    @Test
    void aLargestBodyBeyondAnEighthOfTheHeapSaysWhatToRaise() {
        long eighth = Runtime.getRuntime().maxMemory() / 8;
        assumeTrue(eighth < Integer.MAX_VALUE - 16, "body.inspect.max cannot exceed an eighth of a heap this large");
        assertThat(ConfigProblems.of(home, Map.of("body.inspect.max", Long.toString(eighth + 1))))
                .singleElement()
                .asString()
                .startsWith("body.inspect.max (" + (eighth + 1) + ") is more than an eighth of the heap (" + eighth
                        + " bytes)")
                .contains("TOKENGATE_JAVA_OPTS=-Xmx", "set body.inspect.memory");
    }

    @Test
    void aNegativeMemoryIsAProblem() {
        assertThat(ConfigProblems.of(home, Map.of("body.inspect.memory", "-1")))
                .singleElement()
                .asString()
                .startsWith("body.inspect.memory: -1 is outside 0..");
    }

    @Test
    void aBodyReadForInspectionMustArriveWithinAMinuteUnlessSet() {
        assertThat(gateway(Map.of()).bodyInspectTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(gateway(Map.of("body.inspect.timeout.ms", "0")).bodyInspectTimeout())
                .as("no limit")
                .isZero();
        assertThat(ConfigProblems.of(home, Map.of("body.inspect.timeout.ms", "-1")))
                .singleElement()
                .asString()
                .startsWith("body.inspect.timeout.ms: -1 is outside 0..");
    }

    private GatewayConfig gateway(Map<String, String> settings) {
        Map<String, String> flags = new HashMap<>(settings);
        flags.put("upstream.url", "https://jira.example.com");
        return ConfigLoader.load(home, Map.of(), flags, true).gateway("http://localhost:8080");
    }
}
