package io.tokengate.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The names the admin plane answers to: its addresses, localhost, and the names it is given. */
class AdminHostsTest {
    @TempDir
    Path home;

    private AdminConfig admin(Map<String, String> settings) {
        return ConfigLoader.load(home, Map.of(), settings, false).admin();
    }

    @Test
    void byDefaultOnlyAddressesAndLocalhost() {
        AdminConfig config = admin(Map.of());
        assertThat(config.answersTo("127.0.0.1")).isTrue();
        assertThat(config.answersTo("10.1.2.3")).isTrue();
        assertThat(config.answersTo("[::1]")).isTrue();
        assertThat(config.answersTo("LOCALHOST")).isTrue();
        assertThat(config.answersTo("localhost.")).as("fully qualified").isTrue();
        assertThat(config.answersTo(null)).as("HTTP/1.0 without Host").isTrue();
        assertThat(config.answersTo("rebind.attacker.test")).isFalse();
        assertThat(config.answersTo("localhost.attacker.test")).isFalse();
        assertThat(config.answersTo("127.0.0.1.attacker.test")).isFalse();
        assertThat(config.answersTo("admin.example.com")).isFalse();
        assertThat(config.describeNames()).isEqualTo("IP addresses, localhost");
    }

    @Test
    void theNamesOfItsSettingsAndThoseListed() {
        AdminConfig config = admin(Map.of(
                "admin.host", "tools.internal",
                "admin.public.url", "https://Admin.Example.com/tokengate",
                "admin.allowed.hosts", "gw-admin, Ops.Example.org"));
        assertThat(config.answersTo("tools.internal")).isTrue();
        assertThat(config.answersTo("admin.example.com")).isTrue();
        assertThat(config.answersTo("GW-ADMIN")).isTrue();
        assertThat(config.answersTo("ops.example.org.")).isTrue();
        assertThat(config.answersTo("ops.example.org")).isTrue();
        assertThat(config.answersTo("example.org")).isFalse();
        assertThat(config.describeNames())
                .isEqualTo("IP addresses, localhost and admin.example.com, gw-admin, ops.example.org, tools.internal");
    }

    @Test
    void aListedNameWithAPortOrSchemeIsRefused() {
        assertThat(ConfigProblems.of(home, Map.of("admin.allowed.hosts", "ok.example, https://admin.example:8081")))
                .containsExactly("admin.allowed.hosts: 'https://admin.example:8081' is not a host name (no port,"
                        + " no scheme)");
    }
}
