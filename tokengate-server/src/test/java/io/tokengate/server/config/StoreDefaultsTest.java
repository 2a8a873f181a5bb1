package io.tokengate.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.store.StoreConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's settings have their defaults twice: in {@link Key}, which the server and the
 * documentation read, and in {@link StoreConfig}'s builder, which tests and tools use. They must
 * not drift apart.
 */
class StoreDefaultsTest {
    @TempDir
    Path home;

    @Test
    void theServersDefaultsAreTheStoresOwn() {
        StoreConfig loaded = ConfigLoader.load(home, Map.of(), Map.of(), false).store();
        StoreConfig built = StoreConfig.builder(home).build();

        assertThat(loaded.cacheTtl()).isEqualTo(built.cacheTtl());
        assertThat(loaded.auditQueueCapacity()).isEqualTo(built.auditQueueCapacity());
        assertThat(loaded.auditBatchSize()).isEqualTo(built.auditBatchSize());
        assertThat(loaded.auditFlushInterval()).isEqualTo(built.auditFlushInterval());
        assertThat(loaded.auditRetentionDays()).isEqualTo(built.auditRetentionDays());
        assertThat(loaded.poolSize()).isEqualTo(built.poolSize());
        assertThat(loaded.connectionTimeout()).isEqualTo(built.connectionTimeout());
        assertThat(loaded.maxLifetimeDays()).isEqualTo(built.maxLifetimeDays());
        assertThat(loaded.secureMode()).isEqualTo(built.secureMode());
    }

    @Test
    void theConnectionTimeoutIsTheSettingWithinItsBounds() {
        StoreConfig loaded = ConfigLoader.load(home, Map.of(), Map.of("db.connection.timeout.ms", "750"), false)
                .store();
        assertThat(loaded.connectionTimeout()).isEqualTo(java.time.Duration.ofMillis(750));
        assertThat(ConfigProblems.of(home, Map.of("db.connection.timeout.ms", "10")))
                .anySatisfy(problem -> assertThat(problem).contains("db.connection.timeout.ms"));
    }
}
