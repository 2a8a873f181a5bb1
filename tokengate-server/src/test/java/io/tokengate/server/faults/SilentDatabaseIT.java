package io.tokengate.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.token.TokenSpec;
import io.tokengate.server.GatewayFixture;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network between a cluster node and its PostgreSQL falls silent: no reset, no answer, as when
 * a firewall starts dropping packets or a proxy in between is frozen. The node cannot hear of
 * revokes any more, so it stops trusting its cache within a second and turns requests away with
 * 503; what this test holds is that none of them waits long for that answer.
 *
 * <p>Before, the first request whose token was no longer trusted waited 5 s: the pool checked an
 * idle connection before handing it out, for up to 5 s on a network that never answers, and nobody
 * counted the database away until that check and the connection timeout had passed. And a request
 * whose token was not cached at all, sent just after the cut, was given a connection used a moment
 * before, which the pool hands out unchecked: its query waited the driver's socket timeout, 60 s.
 * Now the node counts the database away as soon as its cluster listener's ping has had no answer
 * for 900 ms, and the token lookups then waiting stop waiting.
 */
class SilentDatabaseIT {
    private static final Logger LOG = LoggerFactory.getLogger(SilentDatabaseIT.class);
    private static final String PATH = "/rest/api/2/issue/AAA-1";

    @Test
    void noRequestWaitsLongForADatabaseFallenSilent(@TempDir Path home) throws Exception {
        try (ScratchDatabase database = ScratchDatabase.create("silent_");
                TcpProxy proxy = new TcpProxy("127.0.0.1", 5432);
                GatewayFixture gw = GatewayFixture.start(
                        home,
                        Map.of(
                                "db.url",
                                "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database.name(),
                                "db.user",
                                "postgres"),
                        GatewayFixture.headerUpstream())) {
            String cached = gw.basic("admin", TokenSpec.bound("cached", "admin", "test"));
            String notCached = gw.basic("admin", TokenSpec.bound("not-cached", "admin", "test"));
            for (int i = 0; i < 5; i++) {
                assertThat(send(gw, cached).status()).isEqualTo(200);
            }
            List<String> warming = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                warming.add(gw.basic("admin", TokenSpec.bound("warming-" + i, "admin", "test")));
            }
            for (String auth : warming) {
                // Looked up on the request path just before the cut: the pool hands the connections
                // these used out again unchecked, as it does on a busy node.
                assertThat(send(gw, auth).status()).isEqualTo(200);
            }

            proxy.freeze();
            ExecutorService clients = Executors.newFixedThreadPool(2);
            Answer first;
            List<Answer> answers = new ArrayList<>();
            try {
                Future<Answer> lookup = clients.submit(() -> send(gw, notCached));
                Future<List<Answer>> sending = clients.submit(() -> {
                    List<Answer> heard = new ArrayList<>();
                    long until = System.nanoTime() + Duration.ofMillis(2500).toNanos();
                    while (System.nanoTime() - until < 0) {
                        heard.add(send(gw, cached));
                        Thread.sleep(10);
                    }
                    return heard;
                });
                first = lookup.get(20, TimeUnit.SECONDS);
                answers.addAll(sending.get(20, TimeUnit.SECONDS));
            } finally {
                clients.shutdownNow();
            }
            Duration slowest =
                    answers.stream().map(Answer::took).max(Duration::compareTo).orElseThrow();
            LOG.info(
                    "after the cut: an uncached token's lookup answered {} in {}; {} requests with a cached token, the"
                            + " slowest answered in {}",
                    first.status(),
                    first.took(),
                    answers.size(),
                    slowest);

            assertThat(first.status()).isEqualTo(503);
            assertThat(first.took())
                    .as("a token lookup stops waiting once the node knows the database away (about a second),"
                            + " not after the connection timeout (5 s) or the socket timeout (60 s)")
                    .isLessThan(Duration.ofMillis(2500));
            assertThat(answers)
                    .extracting(Answer::status)
                    .containsOnly(200, 503)
                    .contains(503);
            assertThat(slowest)
                    .as("a request whose cached token is no longer trusted waits about a second at most, not 5 s")
                    .isLessThan(Duration.ofMillis(2000));

            proxy.thaw();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (send(gw, cached).status() != 200 && System.nanoTime() - deadline < 0) {
                Thread.sleep(50);
            }
            assertThat(send(gw, cached).status())
                    .as("served again once the network answers")
                    .isEqualTo(200);
        }
    }

    /** What a client heard and how long it waited. */
    private record Answer(int status, Duration took) {}

    private static Answer send(GatewayFixture gw, String authorization) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(gw.url(PATH))
                .header("Authorization", authorization)
                .timeout(Duration.ofSeconds(15))
                .GET()
                .build();
        long sent = System.nanoTime();
        HttpResponse<String> response = gw.send(request);
        Duration took = Duration.ofNanos(System.nanoTime() - sent);
        if (response.statusCode() == 503) {
            assertThat(response.headers().firstValue("Retry-After")).contains("1");
        }
        return new Answer(response.statusCode(), took);
    }
}
