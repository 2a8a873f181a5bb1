package io.tokengate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aWaitIsSaidInWholeSecondsRoundedUpSoThatAClientOnTimeIsNotEarly() {
        assertThat(RetryAfter.seconds(1)).isEqualTo(1);
        assertThat(RetryAfter.seconds(SECOND)).isEqualTo(1);
        assertThat(RetryAfter.seconds(SECOND + 1)).isEqualTo(2);
        assertThat(RetryAfter.seconds(59 * SECOND + SECOND / 2)).isEqualTo(60);
    }

    @Test
    void neverZeroWhichClientsReadAsRetryAtOnce() {
        assertThat(RetryAfter.seconds(0)).isEqualTo(1);
    }
}
