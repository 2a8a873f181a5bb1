package io.tokengate.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.request.JsonLookup;
import io.tokengate.core.request.JsonPath;
import io.tokengate.core.request.RequestView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Indexed evaluation against rule-after-rule evaluation of the same rules, on random limits and
 * requests: the decision (verdict, rule, every rule's explanation) and whether the body is needed
 * must be the same. Limits mix URL regexes the DFA runs with ones RE2/J runs, methods, query and
 * JSON conditions; some requests throw from their accessors, as a hostile view may. Reproducible
 * with {@code -Dtokengate.fuzz.seed=N}.
 */
class IndexedEvaluationDifferentialTest {
    private static final long SEED = Long.getLong("tokengate.fuzz.seed", 20261128L);
    private static final int LIMITS = Integer.getInteger("tokengate.fuzz.runs", 4000) / 4;

    private static final String[] SEGMENTS = {"rest", "api", "2", "issue", "P1-17", "P22-3", "search", "comment", "x"};
    private static final String[] SEGMENT_REGEXES = {
        "rest",
        "api",
        "2",
        "issue",
        "search",
        "comment",
        "[^/]+",
        "P\\d+-\\d+",
        ".*",
        "(issue|search)",
        "\\w+",
        "P1.*",
        "P2?2-\\d{1,2}",
        "(?i)ISSUE",
        "x?",
        "\\pL+"
    };
    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE"};
    /** Requests also use a method that no rule can name. */
    private static final String[] REQUEST_METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PROPFIND"};

    private static final String[] PARAMS = {"jql", "expand", "boom"};
    private static final String[] VALUES = {"project = P1", "names", "true", "", "é", "a\nb"};
    private static final String[] VALUE_REGEXES = {"project = P\\d+( .*)?", "names|schema", "true", ".*", "(?i)TRUE"};

    @Test
    void indexedDecisionsEqualRuleAfterRuleDecisions() {
        SplittableRandom random = new SplittableRandom(SEED);
        RandomRegex junk = new RandomRegex(random);
        int decisions = 0;
        int allowed = 0;
        for (int n = 0; n < LIMITS; n++) {
            Limits indexed;
            try {
                indexed = LimitsParser.parse(limitsText(random, junk));
            } catch (LimitsSyntaxException e) {
                continue;
            }
            Limits reference = new Limits(indexed.rules(), false);
            for (int r = 0; r < 12; r++) {
                RequestView request = request(random);
                Decision expected = reference.evaluate(request);
                Decision actual = indexed.evaluate(request);
                String context = "seed " + SEED + ", limits:\n" + indexed + "\nrequest " + describe(request);
                assertThat(actual.reason()).as(context).isEqualTo(expected.reason());
                assertThat(actual.rule()).as(context).isEqualTo(expected.rule());
                assertThat(indexed.needsBody(request)).as(context).isEqualTo(reference.needsBody(request));
                decisions++;
                allowed += expected.allowed() ? 1 : 0;
            }
        }
        assertThat(decisions).isGreaterThan(LIMITS * 10);
        assertThat(allowed)
                .as("allowed decisions, so both verdicts are exercised")
                .isBetween(decisions / 10, decisions * 9 / 10);
    }

    private static String limitsText(SplittableRandom random, RandomRegex junk) {
        List<String> lines = new ArrayList<>();
        int rules = 1 + random.nextInt(random.nextInt(5) == 0 ? 70 : 8);
        for (int i = 0; i < rules; i++) {
            StringBuilder line = new StringBuilder();
            if (random.nextInt(3) == 0) {
                line.append('[').append(pick(random, METHODS));
                if (random.nextBoolean()) {
                    line.append('|').append(pick(random, METHODS));
                }
                line.append(']');
            }
            line.append(random.nextInt(10) == 0 ? junk.next().regex() : urlRegex(random));
            while (random.nextInt(3) == 0) {
                line.append("[QueryParam::")
                        .append(pick(random, PARAMS))
                        .append("==")
                        .append(pick(random, VALUE_REGEXES))
                        .append(']');
            }
            if (random.nextInt(6) == 0) {
                line.append("[JsonData::fields.key==")
                        .append(pick(random, VALUE_REGEXES))
                        .append(']');
            }
            lines.add(line.toString());
        }
        return String.join("\n", lines);
    }

    private static String urlRegex(SplittableRandom random) {
        StringBuilder regex = new StringBuilder(random.nextBoolean() ? ".*" : "https://jira\\.example\\.com");
        int segments = random.nextInt(5);
        for (int i = 0; i < segments; i++) {
            regex.append('/').append(pick(random, SEGMENT_REGEXES));
        }
        if (random.nextInt(4) == 0) {
            regex.append(".*");
        }
        return regex.toString();
    }

    private static RequestView request(SplittableRandom random) {
        StringBuilder path = new StringBuilder();
        int segments = random.nextInt(6);
        for (int i = 0; i < segments; i++) {
            path.append('/').append(pick(random, SEGMENTS));
        }
        if (path.length() == 0) {
            path.append('/');
        }
        Map<String, String> json = new HashMap<>();
        if (random.nextBoolean()) {
            json.put("fields.key", pick(random, VALUES));
        }
        Request request =
                Request.of(pick(random, METHODS), path + query(random)).withJson(json);
        return random.nextInt(10) == 0 ? hostile(request, random.nextInt(4)) : request;
    }

    private static String query(SplittableRandom random) {
        StringBuilder query = new StringBuilder();
        while (random.nextBoolean()) {
            query.append(query.length() == 0 ? '?' : '&')
                    .append(pick(random, PARAMS))
                    .append('=')
                    .append(java.net.URLEncoder.encode(pick(random, VALUES), java.nio.charset.StandardCharsets.UTF_8));
        }
        return query.toString();
    }

    /** A view that throws: from url() (0), for the query parameter "boom" (1), for JSON (2) or from method() (3). */
    private static RequestView hostile(Request request, int where) {
        return new RequestView() {
            @Override
            public String method() {
                if (where == 3) {
                    throw new IllegalStateException("method");
                }
                return request.method();
            }

            @Override
            public String url() {
                if (where == 0) {
                    throw new IllegalStateException("url");
                }
                return request.url();
            }

            @Override
            public List<String> queryValues(String name) {
                if (where == 1 && name.equals("boom")) {
                    throw new IllegalStateException("boom");
                }
                return request.queryValues(name);
            }

            @Override
            public JsonLookup json(JsonPath path) {
                if (where == 2) {
                    throw new IllegalStateException("json");
                }
                return request.json(path);
            }
        };
    }

    private static String describe(RequestView request) {
        try {
            return request.method() + " " + request.url();
        } catch (RuntimeException e) {
            return "(throws " + e.getMessage() + ")";
        }
    }

    private static String pick(SplittableRandom random, String[] options) {
        return options[random.nextInt(options.length)];
    }
}
