package io.tokengate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database password in {@code --db-url} is readable by every user of the machine in its process
 * list: refused there, with a message that does not repeat it; accepted where only the home's
 * owner reads it (the settings file, the environment).
 */
class DbUrlPasswordTest {
    private static final String SECRET = "hunter2-db-secret";

    @TempDir
    Path home;

    @Test
    void aPasswordInTheFlagIsRefusedWithoutBeingRepeated() {
        for (String url : List.of(
                "jdbc:postgresql://db.example.com/tokengate?user=tokengate&password=" + SECRET,
                "jdbc:postgresql://db.example.com/tokengate?PASSWORD=" + SECRET + "&ssl=true",
                "jdbc:h2:/srv/tokengate/db;USER=sa;PASSWORD=" + SECRET)) {
            List<String> problems = ConfigProblems.of(home, Map.of("db.url", url));
            assertThat(problems)
                    .as(url)
                    .containsExactly("--db-url carries a password, which every user of this machine can read in its"
                            + " process list: give it as db.password instead (in tokengate.properties, or"
                            + " TOKENGATE_DB_PASSWORD), with db.user");
            assertThat(String.join("\n", problems)).doesNotContain(SECRET);
        }
    }

    @Test
    void aPasswordInTheFileOrTheEnvironmentIsTheOwnersChoice() throws Exception {
        String url = "jdbc:postgresql://db.example.com/tokengate?user=tokengate&password=" + SECRET;
        assertThat(ConfigLoader.load(home, Map.of("TOKENGATE_DB_URL", url), Map.of(), false)
                        .store()
                        .dbUrl())
                .isEqualTo(url);
        Files.writeString(home.resolve("tokengate.properties"), "db.url=" + url + "\n");
        assertThat(ConfigLoader.load(home, Map.of(), Map.of(), false).store().dbUrl())
                .isEqualTo(url);
        assertThat(ConfigLoader.load(
                                home, Map.of(), Map.of("db.url", "jdbc:postgresql://db.example.com/tokengate"), false)
                        .store()
                        .dbUrl())
                .as("a flag without a password")
                .isEqualTo("jdbc:postgresql://db.example.com/tokengate");
    }

    /** A password with an {@code @} in it is masked whole; an {@code @} in the query is no password. */
    @Test
    void aPasswordHoldingAnAtSignIsMaskedWhole() throws Exception {
        Files.writeString(
                home.resolve("tokengate.properties"),
                "db.url=jdbc:postgres://tokengate:" + SECRET + "@x@db.example.com:5432/x\n");
        assertThatThrownBy(() -> ConfigLoader.load(home, Map.of(), Map.of(), false))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .containsExactly("db.url: 'jdbc:postgres://********@db.example.com:5432/x' is neither"
                                + " jdbc:postgresql: nor jdbc:h2:"));
        assertThat(ConfigProblems.of(home, Map.of("db.url", "jdbc:postgresql://tokengate:" + SECRET + "@x@db/tg")))
                .singleElement()
                .asString()
                .startsWith("--db-url carries a password");
        String azure = "jdbc:postgresql://db.example.com:5432/tg?user=tokengate@db&ApplicationName=tokengate";
        assertThat(ConfigLoader.load(home, Map.of(), Map.of("db.url", azure), false)
                        .store()
                        .dbUrl())
                .as("a user name with an @, as Azure's are")
                .isEqualTo(azure);
    }

    @Test
    void aMistypedUrlIsNamedWithItsPasswordMasked() throws Exception {
        Files.writeString(
                home.resolve("tokengate.properties"),
                "db.url=jdbc:postgres://db.example.com/x?password=" + SECRET + "\n");
        assertThatThrownBy(() -> ConfigLoader.load(home, Map.of(), Map.of(), false))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .containsExactly("db.url: 'jdbc:postgres://db.example.com/x?password=********' is neither"
                                + " jdbc:postgresql: nor jdbc:h2:"));
    }
}
