package io.tokengate.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.token.TokenSpec;
import io.tokengate.server.GatewayFixture;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} on the admin plane counts what the data plane did, in Prometheus format. */
class MetricsIT {

    @Test
    void requestsAreCountedByDecisionAndStatusAndTimed(@TempDir Path home) throws Exception {
        try (GatewayFixture gw = GatewayFixture.start(home, Map.of(), GatewayFixture.headerUpstream())) {
            String auth = gw.basic("admin", TokenSpec.bound("m", "admin", "t").withLimits(".*/rest/api/2/issue/AAA.*"));
            for (int i = 0; i < 3; i++) {
                assertThat(gw.get("/rest/api/2/issue/AAA-1", auth).statusCode()).isEqualTo(200);
            }
            assertThat(gw.get("/rest/api/2/issue/JRA-1", auth).statusCode()).isEqualTo(403);
            assertThat(gw.get("/rest/api/2/issue/JRA-1", null).statusCode()).isEqualTo(401);

            HttpResponse<String> scrape = gw.send(HttpRequest.newBuilder(URI.create(gw.server.adminUri() + "/metrics"))
                    .build());
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type"))
                    .get()
                    .asString()
                    .startsWith("text/plain");
            String text = scrape.body();
            assertThat(value(text, "tokengate_requests_total\\{decision=\"allow\",status=\"200\"\\}"))
                    .isEqualTo(3);
            assertThat(value(text, "tokengate_requests_total\\{decision=\"deny\",status=\"403\"\\}"))
                    .isEqualTo(1);
            assertThat(value(text, "tokengate_requests_total\\{decision=\"deny\",status=\"401\"\\}"))
                    .isEqualTo(1);
            assertThat(value(text, "tokengate_gateway_overhead_seconds_count")).isEqualTo(5);
            assertThat(value(text, "tokengate_upstream_latency_seconds_count")).isEqualTo(3);
            assertThat(text)
                    .contains("tokengate_gateway_overhead_seconds_bucket{le=")
                    .contains("tokengate_audit_queue_depth")
                    .contains("tokengate_token_cache_hits_total")
                    .contains("jvm_memory_used_bytes");
            assertThat(value(text, "tokengate_audit_queue_max_bytes"))
                    .as("the audit queue's memory bound, a quarter of the heap")
                    .isEqualTo(Runtime.getRuntime().maxMemory() / 4);
            assertThat(value(text, "tokengate_audit_queue_bytes")).isNotNegative();
            assertThat(value(text, "tokengate_token_cache_hits_total"))
                    .as("four lookups of one token: the first misses, the rest hit")
                    .isEqualTo(3);
            assertThat(text.lines().filter(line -> line.startsWith("# HELP tokengate_")))
                    .as("every tokengate metric says what it counts")
                    .isNotEmpty()
                    .allSatisfy(help -> assertThat(help).matches("# HELP tokengate_\\w+ \\S.*"));
        }
    }

    private static double value(String exposition, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(exposition);
        assertThat(m.find()).as(series + " in\n" + exposition).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
