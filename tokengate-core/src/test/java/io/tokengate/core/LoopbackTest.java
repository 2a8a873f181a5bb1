package io.tokengate.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoopbackTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "localhost",
                "LocalHost",
                "127.0.0.1",
                "127.0.0.2",
                "127.255.255.254",
                "::1",
                "[::1]",
                "0:0:0:0:0:0:0:1",
                "::ffff:127.0.0.1"
            })
    void theLoopbackIs(String host) {
        assertThat(Loopback.is(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "0.0.0.0",
                "::",
                "[::]",
                "10.0.0.1",
                "128.0.0.1",
                "localhost.corp.example.com",
                "127.0.0.1.example.com",
                "127.0.0.256",
                "127.0.0.1.5",
                "0177.0.0.1", // octal to some resolvers: not 127 as written
                "127.1", // 127.0.0.1 to some resolvers, a name to others
                "2130706433",
                "::2",
                "[::1",
                "fe80::1%lo",
                "db.example.com"
            })
    void anythingElseIsNot(String host) {
        assertThat(Loopback.is(host)).isFalse();
    }

    @Test
    void noHostIsNotTheLoopback() {
        assertThat(Loopback.is(null)).isFalse();
    }
}
