package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialsTest {
    private static String basic(byte[] userColonSecret) {
        return "Basic " + Base64.getEncoder().encodeToString(userColonSecret);
    }

    private static String basic(String userColonSecret) {
        return basic(userColonSecret.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsBasicWithAnySchemeCaseAndSplitsAtTheFirstColon() {
        Credentials credentials = Credentials.parse(basic("jürgen:tgk_sec:ret").replace("Basic", "bAsIc"))
                .orElseThrow();
        assertThat(credentials.scheme()).isEqualTo(Credentials.Scheme.BASIC);
        assertThat(credentials.user()).isEqualTo("jürgen");
        assertThat(credentials.secret()).isEqualTo("tgk_sec:ret");
    }

    @Test
    void readsBearerWithoutAUser() {
        Credentials credentials = Credentials.parse("Bearer tgk_abc").orElseThrow();
        assertThat(credentials.scheme()).isEqualTo(Credentials.Scheme.BEARER);
        assertThat(credentials.user()).isNull();
        assertThat(credentials.secret()).isEqualTo("tgk_abc");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "", // no scheme
                "Basic", // no value
                "Digest username=\"alice\"",
                "Basic !!!not-base64!!!",
                "Bearer ", // no token
                "Bearer two words",
                "Basicx YWxpY2U6c2VjcmV0", // a longer scheme that starts with one
                "Bas YWxpY2U6c2VjcmV0",
                "Bearerx tgk_abc",
            })
    void refusesWhatIsNotBasicOrBearerOrDoesNotDecode(String header) {
        assertThat(Credentials.parse(header)).isEmpty();
    }

    @Test
    void refusesMissingPartsInvalidUtf8AndControlCharactersInTheUser() {
        assertThat(Credentials.parse(basic("no-colon"))).isEmpty();
        assertThat(Credentials.parse(basic(":secret"))).as("empty user").isEmpty();
        assertThat(Credentials.parse(basic("alice:"))).as("empty secret").isEmpty();
        assertThat(Credentials.parse(basic("ali\nce:secret")))
                .as("a line break in the user")
                .isEmpty();
        assertThat(Credentials.parse(basic(new byte[] {'a', (byte) 0xC3, ':', 's'})))
                .as("a truncated UTF-8 sequence")
                .isEmpty();
        assertThat(Credentials.parse(null)).isEmpty();
    }

    @Test
    void refusesAnOverlongHeaderUnread() {
        String longest = basic("alice:" + "s".repeat(3000));
        assertThat(longest.length()).isLessThanOrEqualTo(Credentials.MAX_HEADER);
        assertThat(Credentials.parse(longest)).isPresent();
        assertThat(Credentials.parse(basic("alice:" + "s".repeat(3100)))).isEmpty();
    }

    @Test
    void neverPrintsTheSecret() {
        Credentials credentials =
                Credentials.parse(basic("alice:tgk_topsecret")).orElseThrow();
        assertThat(credentials.toString()).contains("alice").doesNotContain("tgk_topsecret");
        assertThat(Credentials.parse("Bearer tgk_topsecret").orElseThrow().toString())
                .doesNotContain("tgk_topsecret");
    }
}
