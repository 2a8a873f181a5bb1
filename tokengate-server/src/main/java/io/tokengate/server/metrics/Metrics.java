package io.tokengate.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tokengate.server.gateway.InspectionMemory;
import io.tokengate.server.gateway.RequestObserver;
import io.tokengate.store.Store;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The metrics registry, and the data plane's {@link RequestObserver}. Counters per decision and
 * status are created once and kept, so recording a request costs a map lookup and two atomic
 * updates, no allocation.
 */
public final class Metrics implements RequestObserver {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentHashMap<Integer, Counter> requests = new ConcurrentHashMap<>();
    private final Timer overhead;
    private final Timer upstream;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public Metrics(Store store) {
        overhead = Timer.builder("tokengate.gateway.overhead")
                .description("Time the gateway spends on a request before forwarding it (or answering it itself)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry);
        upstream = Timer.builder("tokengate.upstream.latency")
                .description("Time from forwarding a request to the end of the upstream's response")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(120))
                .register(registry);
        Gauge.builder("tokengate.audit.queue.depth", store.audit(), w -> w.queued())
                .description("Audit records waiting to be written")
                .register(registry);
        Gauge.builder("tokengate.audit.queue.capacity", store.audit(), w -> w.capacity())
                .description("Audit records the queue holds before requests are turned away (audit.queue.capacity)")
                .register(registry);
        Gauge.builder("tokengate.audit.queue.bytes", store.audit(), w -> w.queuedBytes())
                .description("Estimated memory held by audit records waiting to be written")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("tokengate.audit.queue.max.bytes", store.audit(), w -> w.maxQueuedBytes())
                .description("Memory bound of the audit queue: a quarter of the heap")
                .baseUnit("bytes")
                .register(registry);
        FunctionCounter.builder("tokengate.audit.written", store.audit(), w -> w.written())
                .description("Audit records written")
                .register(registry);
        FunctionCounter.builder("tokengate.audit.write.failures", store.audit(), w -> w.writeFailures())
                .description("Attempts to write a batch of audit records that failed (they are retried)")
                .register(registry);
        FunctionCounter.builder("tokengate.token.cache.hits", store.status(), s -> s.metrics()
                        .cacheHits())
                .description("Token lookups answered from memory")
                .register(registry);
        FunctionCounter.builder("tokengate.token.cache.misses", store.status(), s -> s.metrics()
                        .cacheMisses())
                .description("Token lookups that read the database")
                .register(registry);
        FunctionCounter.builder("tokengate.token.cache.bypassed", store.status(), s -> s.metrics()
                        .cacheBypassed())
                .description("Token lookups that skipped the cache because cluster invalidation was down")
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        gc.bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    @Override
    public void completed(boolean allowed, int status, long gatewayNanos, long upstreamNanos) {
        requests.computeIfAbsent(allowed ? status : -status, key -> Counter.builder("tokengate.requests")
                        .description("Data-plane requests by decision and status")
                        .tag("decision", allowed ? "allow" : "deny")
                        .tag("status", Integer.toString(status))
                        .register(registry))
                .increment();
        overhead.record(gatewayNanos, TimeUnit.NANOSECONDS);
        if (upstreamNanos >= 0) {
            upstream.record(upstreamNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Gauges of the memory request bodies read for JSON conditions hold, and its bound. */
    public void watch(InspectionMemory memory) {
        Gauge.builder("tokengate.inspect.held.bytes", memory, InspectionMemory::held)
                .description("Memory held by request bodies read for JSON conditions, all requests together")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("tokengate.inspect.max.bytes", memory, InspectionMemory::capacity)
                .description("Bound of that memory (body.inspect.memory): beyond it, such requests get 503")
                .baseUnit("bytes")
                .register(registry);
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public String toString() {
        return "Metrics[" + registry.getMeters().size() + " meters]";
    }
}
