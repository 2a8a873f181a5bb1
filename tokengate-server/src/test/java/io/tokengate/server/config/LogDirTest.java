package io.tokengate.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogDirTest {
    @TempDir
    Path home;

    private TokengateConfig load(Map<String, String> environment) {
        return ConfigLoader.load(home, environment, Map.of(), false);
    }

    @Test
    void logsGoUnderTheHomeUnlessMovedOrTurnedOff() {
        assertThat(load(Map.of()).logDir()).contains(home.resolve("logs"));
        assertThat(load(Map.of("TOKENGATE_LOG_DIR", "var/log")).logDir()).contains(home.resolve("var/log"));
        assertThat(load(Map.of("TOKENGATE_LOG_DIR", "/var/log/tokengate")).logDir())
                .contains(Path.of("/var/log/tokengate"));
        assertThat(load(Map.of("TOKENGATE_LOG_DIR", "None")).logDir()).isEmpty();
    }
}
