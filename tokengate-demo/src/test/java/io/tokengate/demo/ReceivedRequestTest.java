package io.tokengate.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceivedRequestTest {
    private static ReceivedRequest request(byte[] body, long length) {
        return new ReceivedRequest(
                "POST",
                "/rest/api/2/filter",
                null,
                List.of(
                        new ReceivedRequest.Header("Authorization", "Basic c2VjcmV0"),
                        new ReceivedRequest.Header("X-A", "1"),
                        new ReceivedRequest.Header("x-a", "2")),
                body,
                length,
                "00",
                "bob",
                Instant.EPOCH);
    }

    @Test
    void headersAreLookedUpCaseInsensitively() {
        ReceivedRequest request = request(new byte[0], 0);

        assertThat(request.header("X-a")).hasValue("1");
        assertThat(request.headerValues("X-A")).containsExactly("1", "2");
        assertThat(request.header("Missing")).isEmpty();
        assertThat(request.rawTarget()).isEqualTo("/rest/api/2/filter");
    }

    @Test
    void bodyIsCopiedInAndOut() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        ReceivedRequest request = request(body, 2);

        body[0] = 'X';
        request.body()[1] = 'Y';

        assertThat(request.bodyText()).isEqualTo("{}");
        assertThat(request).isEqualTo(request("{}".getBytes(StandardCharsets.UTF_8), 2));
        assertThat(request.bodyTruncated()).isFalse();
        assertThat(request(body, 5).bodyTruncated()).isTrue();
        assertThatThrownBy(() -> request(body, 1)).hasMessageContaining("bodyLength 1 < recorded 2");
    }

    @Test
    void toStringRedactsAuthorization() {
        assertThat(request(new byte[0], 0).toString())
                .contains("POST /rest/api/2/filter", "user=bob", "Authorization: <redacted>", "X-A: 1")
                .doesNotContain("c2VjcmV0");
    }

    @Test
    void logKeepsTheNewestUpToItsCapacity() {
        RequestLog log = new RequestLog(2);
        ReceivedRequest first = request(new byte[0], 0);
        ReceivedRequest second = request(new byte[] {1}, 1);
        ReceivedRequest third = request(new byte[] {2}, 1);

        log.add(first);
        log.add(second);
        log.add(third);

        assertThat(log.snapshot()).containsExactly(second, third);
        log.clear();
        assertThat(log.snapshot()).isEmpty();
    }
}
