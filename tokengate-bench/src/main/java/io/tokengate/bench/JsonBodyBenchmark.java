package io.tokengate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokengate.core.limits.LimitsParser;
import io.tokengate.core.request.JsonPath;
import io.tokengate.server.request.JsonBody;
import io.tokengate.server.request.TreeJsonBody;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reading a request body for {@code [JsonData::…]} conditions: {@link JsonBody#parse} with the
 * paths a realistic limit reads, then one lookup per path, as the data plane does. Baselines from
 * the same run, on the same bytes: {@code readTree} is Jackson's {@link ObjectMapper#readTree(byte[])}
 * (a plain tree of the whole body, no strictness checks, no lookups), {@code treeJsonBody} the
 * pre-streaming reader ({@link TreeJsonBody}) with the same lookups.
 *
 * <p>{@code body}: {@code createIssue} is a Jira "create issue" body of 1.3 KB and {@code
 * filter} the original product's filter example; {@code ones} ({@code [1,1,1,…]}) and {@code
 * flatObject} ({@code {"k0":0,"k1":0,…}}, 96 335 keys) are pathological bodies as long as
 * {@code body.inspect.max} (1 MiB) lets them be. The filter body is read for {@code editable} and {@code
 * favourite}; the others for {@code fields.project.key} and {@code fields.issuetype.name}, the
 * paths of an issue-creation limit (absent from the pathological bodies, which were sent where
 * such a limit applies). Run with {@code -prof gc} for bytes allocated per read.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JsonBodyBenchmark {
    /** The gateway's default {@code body.inspect.max}: a longer body is refused, not read. */
    static final int INSPECT_MAX = 1 << 20;

    static final String ISSUE_LIMITS = "[POST].*/rest/api/2/issue"
            + "[JsonData::fields.project.key==JRA][JsonData::fields.issuetype.name==Bug|Task]";

    static final String FILTER_LIMITS = ".*/rest/api/2/filter[JsonData::editable==false][JsonData::favourite==false]";

    static final String CREATE_ISSUE =
            """
            {
              "fields": {
                "project": {"key": "JRA"},
                "summary": "Exporting a filter with more than 1000 issues to CSV times out",
                "description": "Steps to reproduce:\\n1. Create a filter that returns more than 1000 issues \
            (e.g. project = JRA AND created >= -365d).\\n2. Open Export > CSV (all fields).\\n3. Wait.\\n\\n\
            Expected: a CSV file with every issue of the filter.\\nActual: after 60 seconds the browser shows \
            a 504 from the load balancer and nothing is downloaded. Smaller filters (about 400 issues) export \
            in 20 seconds. The application log shows the export thread still running after the timeout.\\n\\n\
            Environment: Jira Data Center 9.12.4, two nodes behind nginx, PostgreSQL 14.",
                "issuetype": {"name": "Bug"},
                "priority": {"name": "Major"},
                "labels": ["export", "csv", "performance", "customer-reported"],
                "components": [{"name": "Issue Navigator"}, {"name": "Export"}],
                "versions": [{"name": "9.12.4"}],
                "assignee": {"name": "jsmith"},
                "reporter": {"name": "mdoe"},
                "duedate": "2026-12-18",
                "customfield_10010": "JRA-1200",
                "customfield_10020": 5,
                "customfield_10030": {"value": "Customer"},
                "customfield_10040": ["EMEA", "APAC"],
                "customfield_10050": 2.5,
                "customfield_10060": "The nightly report job exports the same filter and has failed since the upgrade."
              }
            }
            """;

    static final String FILTER = "{\"name\":\"All Open Bugs\",\"description\":\"Lists all open bugs\","
            + "\"jql\":\"type = Bug and resolution is empty\",\"favourite\":true,\"editable\":false}";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Param({"createIssue", "filter", "ones", "flatObject"})
    String body;

    private byte[] bytes;
    private List<JsonPath> paths;

    /** {@code [1,1,…,1]}: as many ones as fit in {@link #INSPECT_MAX} bytes. */
    static String ones() {
        StringBuilder out = new StringBuilder(INSPECT_MAX).append("[1");
        while (out.length() + 3 <= INSPECT_MAX) {
            out.append(",1");
        }
        return out.append(']').toString();
    }

    /** {@code {"k0":0,"k1":0,…}}: as many keys as fit in {@link #INSPECT_MAX} bytes. */
    static String flatObject() {
        StringBuilder out = new StringBuilder(INSPECT_MAX).append('{');
        for (int i = 0; ; i++) {
            String member = (i == 0 ? "" : ",") + "\"k" + i + "\":0";
            if (out.length() + member.length() + 1 > INSPECT_MAX) {
                return out.append('}').toString();
            }
            out.append(member);
        }
    }

    @Setup
    public void setUp() {
        String text =
                switch (body) {
                    case "createIssue" -> CREATE_ISSUE;
                    case "filter" -> FILTER;
                    case "ones" -> ones();
                    case "flatObject" -> flatObject();
                    default -> throw new IllegalArgumentException("unknown body " + body);
                };
        bytes = text.getBytes(StandardCharsets.UTF_8);
        paths = List.copyOf(LimitsParser.parse(body.equals("filter") ? FILTER_LIMITS : ISSUE_LIMITS)
                .jsonPaths());
        // The three subjects must read the same body the same way, or the comparison means nothing.
        List<String> expected =
                switch (body) {
                    case "createIssue" -> List.of("Found[text=JRA]", "Found[text=Bug]");
                    case "filter" -> List.of("Found[text=false]", "Found[text=true]");
                    default -> List.of("Missing[]", "Missing[]");
                };
        JsonBody streamed = JsonBody.parse(bytes, paths);
        TreeJsonBody tree = TreeJsonBody.parse(bytes);
        List<String> fromStream =
                paths.stream().map(p -> streamed.lookup(p).toString()).toList();
        List<String> fromTree =
                paths.stream().map(p -> tree.lookup(p).toString()).toList();
        if (bytes.length > INSPECT_MAX || !fromStream.equals(expected) || !fromTree.equals(expected)) {
            throw new IllegalStateException("benchmark setup is wrong: " + body + " (" + bytes.length
                    + " bytes) read as " + fromStream + " and " + fromTree + ", expected " + expected);
        }
        if (readTree().size() == 0) {
            throw new IllegalStateException("benchmark setup is wrong: readTree found nothing in " + body);
        }
    }

    /** What the data plane does for a body its limits read: parse for the paths, then look each up. */
    @Benchmark
    public void jsonBody(Blackhole sink) {
        JsonBody parsed = JsonBody.parse(bytes, paths);
        for (JsonPath path : paths) {
            sink.consume(parsed.lookup(path));
        }
    }

    /** Baseline: a plain Jackson tree of the whole body. */
    @Benchmark
    public JsonNode readTree() {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Baseline: the reader before {@link JsonBody} streamed, with the same lookups. */
    @Benchmark
    public void treeJsonBody(Blackhole sink) {
        TreeJsonBody parsed = TreeJsonBody.parse(bytes);
        for (JsonPath path : paths) {
            sink.consume(parsed.lookup(path));
        }
    }
}
