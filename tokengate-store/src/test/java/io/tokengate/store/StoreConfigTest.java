package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StoreConfigTest {
    @Test
    void defaultsToTheEmbeddedDatabaseAndTheHomeKeyFile() {
        StoreConfig config = StoreConfig.builder(Path.of("/srv/tg")).build();
        assertThat(config.dbUrl()).isNull();
        assertThat(config.keyFilePath()).isEqualTo(Path.of("/srv/tg/tokengate.key"));
        assertThat(config.cacheTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(Database.embeddedUrl(Path.of("/srv/tg")))
                .isEqualTo(
                        "jdbc:h2:retry:/srv/tg/data/tokengate;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;MAX_COMPACT_TIME=0;CACHE_SIZE=1024");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> StoreConfig.builder(Path.of("/srv/tg"))
                        .database("jdbc:mysql://db/x", null, null)
                        .maxLifetimeDays(-1)
                        .auditQueue(0, 0, Duration.ZERO)
                        .nodeId("bad node")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("db.url")
                .hasMessageContaining("token.max.lifetime.days")
                .hasMessageContaining("audit.queue.capacity")
                .hasMessageContaining("audit.batch.size")
                .hasMessageContaining("audit.flush.interval")
                .hasMessageContaining("node.id");
    }

    @Test
    void neverPrintsThePassword() {
        StoreConfig config = StoreConfig.builder(Path.of("/srv/tg"))
                .database("jdbc:postgresql://db:5432/tg?user=tg&password=hunter2", "tg", "s3cret")
                .build();
        assertThat(config.toString())
                .doesNotContain("hunter2")
                .doesNotContain("s3cret")
                .contains("dbPassword=***");
    }
}
