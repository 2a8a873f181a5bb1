package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database that cannot be reached is named with the reason, not only the pool's timeout. */
class DatabaseUnreachableIT {
    @TempDir
    Path home;

    @Test
    void aDatabaseThatDoesNotExistIsSaidToNotExist() {
        StoreConfig config = StoreConfig.builder(home)
                .database("jdbc:postgresql://127.0.0.1:5432/tokengate_no_such_database", "postgres", null)
                .pool(2, Duration.ofSeconds(1))
                .build();
        try (Database db = Database.open(config)) {
            assertThatThrownBy(() -> db.read("listing tokens", c -> null))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("no database connection within 1000 ms")
                    .hasMessageContaining("\"tokengate_no_such_database\" does not exist");
        }
    }
}
