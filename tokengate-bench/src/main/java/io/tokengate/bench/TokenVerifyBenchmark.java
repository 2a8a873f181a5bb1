package io.tokengate.bench;

import io.tokengate.core.token.CreatedToken;
import io.tokengate.core.token.TokenSecret;
import io.tokengate.core.token.TokenService;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.core.token.VerifiedToken;
import io.tokengate.store.Store;
import io.tokengate.store.StoreMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the data plane pays to authenticate a request: {@link TokenService#verify(TokenSecret)}
 * (one HMAC, then the cache or the database) and {@link TokenService#recordUse}. {@code hit}
 * serves the token from the cache; {@code miss} runs with the cache off ({@code token.cache.ttl =
 * 0}), so every call looks the token up by digest in the database and parses its limits, as a
 * cache miss does.
 *
 * <p>Fails loudly when a verification fails, when a "hit" run was not served by the cache, or when
 * the use count stored at the end differs from the number of calls (usage lost).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TokenVerifyBenchmark {
    /** The seed's examples: what a restricted token typically holds. */
    static final String LIMITS = String.join(
            "\n",
            ".*/rest/api/2/issue/JRA.*",
            "[post].*/rest/api/2/issue/KANBAN-100/comment.*",
            ".*/rest/extender/1.0/filter/user/.*[QueryParam::permissions==true]",
            ".*rest/extender/1.0/worklog/user/.*[QueryParam::dateFrom==2018-01-01][QueryParam::dateTo==2018-12-01]",
            ".*/rest/api/2/filter[JsonData::editable==false][JsonData::favourite==false]");

    @Param({"hit", "miss"})
    String cache;

    @Param({"h2"})
    String db;

    private BenchDatabase database;
    private Store store;
    private TokenService tokens;
    private CreatedToken token;
    private long calls;

    @Setup(Level.Trial)
    public void open() throws Exception {
        database = BenchDatabase.create(db);
        Duration ttl =
                switch (cache) {
                    case "hit" -> Duration.ofMinutes(10);
                    case "miss" -> Duration.ZERO;
                    default -> throw new IllegalArgumentException("cache: hit or miss, got " + cache);
                };
        store = Store.open(database.config().cacheTtl(ttl).build(), Clock.systemUTC());
        tokens = store.tokens();
        token = tokens.create(TokenSpec.bound("bench", "alice", "admin").withLimits(LIMITS));
    }

    @Benchmark
    public VerifiedToken verifyAndRecordUse() {
        VerifiedToken verified = tokens.verify(token.secret())
                .orElseThrow(() -> new IllegalStateException("the benchmark token did not verify"));
        tokens.recordUse(verified.id(), "10.1.2.3");
        calls++;
        return verified;
    }

    @TearDown(Level.Trial)
    public void checkAndClose() throws Exception {
        try {
            StoreMetrics metrics = store.status().metrics();
            if (cache.equals("hit") && metrics.cacheMisses() > 1) {
                throw new IllegalStateException("a cache-hit run missed the cache " + metrics.cacheMisses() + " times");
            }
            if (cache.equals("miss") && metrics.cacheHits() > 0) {
                throw new IllegalStateException("a cache-miss run hit the cache " + metrics.cacheHits() + " times");
            }
            store.close(); // writes the pending usage
            long counted = database.number("SELECT use_count FROM token_usage WHERE token_id = '"
                    + token.token().id().value() + "'");
            if (counted != calls) {
                throw new IllegalStateException("TOKEN USAGE LOST: " + calls + " uses, " + counted + " counted");
            }
        } finally {
            database.close();
        }
    }
}
