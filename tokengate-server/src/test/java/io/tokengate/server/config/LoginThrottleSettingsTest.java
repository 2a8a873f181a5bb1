package io.tokengate.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The login throttle's settings serve both planes, but a wrong value is one problem, said once:
 * {@code config check} counts what there is to mend, not how often it was read.
 */
class LoginThrottleSettingsTest {
    @TempDir
    Path home;

    @Test
    void aWrongLoginSettingIsOneProblem() {
        assertThat(ConfigProblems.of(home, Map.of("login.max.failures", "-1")))
                .singleElement()
                .asString()
                .startsWith("login.max.failures: -1 is outside 0..1000000 (from ");
        assertThat(ConfigProblems.of(home, Map.of("login.window.seconds", "forever")))
                .singleElement()
                .asString()
                .startsWith("login.window.seconds: 'forever' is not a whole number (from ");
    }

    @Test
    void bothPlanesThrottleAsSet() {
        TokengateConfig config = ConfigLoader.load(
                home,
                Map.of(),
                Map.of(
                        "upstream.url",
                        "https://jira.example.com",
                        "login.max.failures",
                        "3",
                        "login.window.seconds",
                        "60"),
                true);
        assertThat(config.admin().loginMaxFailures()).isEqualTo(3);
        assertThat(config.admin().loginWindow()).hasSeconds(60);
        assertThat(config.gateway("http://localhost:8080").loginMaxFailures()).isEqualTo(3);
        assertThat(config.gateway("http://localhost:8080").loginWindow()).hasSeconds(60);
    }
}
