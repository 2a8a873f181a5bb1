package io.tokengate.server.admin;

import io.tokengate.core.token.SecretScanner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Random limits and requests for {@link CheckDifferentialIT}, built from pieces that exercise what
 * the gateway does before and while it decides: path encodings it decodes or refuses (dot
 * segments, {@code %2F}, {@code ;}, repeated slashes, non-ASCII), queries as Jira parses them,
 * JSON bodies of every shape, and rules of each kind (methods, URL regexes, {@code QueryParam},
 * {@code JsonData}).
 */
final class CheckCases {
    /** One request: the method, the target as on the wire (path and query), the body or null. */
    record Request(String method, String target, String body) {
        @Override
        public String toString() {
            return SecretScanner.redact(method + " " + target + (body == null ? "" : " body " + body));
        }
    }

    private static final List<String> SEEDS = List.of(
            ".*/rest/api/2/issue/JRA.*",
            "[post].*/rest/api/2/issue/KANBAN-100/comment.*",
            ".*/rest/extender/1.0/filter/user/.*[QueryParam::permissions==true]",
            ".*rest/extender/1.0/worklog/user/.*[QueryParam::dateFrom==2018-01-01][QueryParam::dateTo==2018-12-01]",
            ".*/rest/api/2/filter[JsonData::editable==false][JsonData::favourite==false]");

    private static final String[] METHOD_LISTS = {
        "[GET]", "[post]", "[GET|HEAD]", "[put,patch]", "[DELETE]", "[GET,POST]"
    };

    private static final String[] URL_REGEXES = {
        ".*/rest/api/2/issue/JRA.*",
        ".*/rest/api/2/issue/[A-Z]+-\\d+",
        ".*/rest/api/2/issue/KANBAN-100/comment.*",
        ".*/rest/extender/1.0/filter/user/.*",
        ".*rest/extender/1.0/worklog/user/.*",
        ".*/rest/api/2/filter",
        ".*/rest/api/2/search",
        "http://gw\\.example\\.test/rest/.*",
        "https://gw\\.example\\.test/rest/.*",
        ".*/rest/api/2/.*",
        ".*",
        ".*/issue/.*",
        ".*ü.*",
        ".*€",
        ".*/rest/api/2/issue/A.*",
        "(?i).*/REST/API/2/.*",
        ".*//.*",
        ".*/\\.\\./.*",
        ".*;.*",
        ".*%.*",
        ".* .*",
        ".*\\+.*",
        ".*/rest/api/2/issue/[^/]*",
        ".*/rest/api/2/issue/JRA-1/?"
    };

    private static final String[] CONDITIONS = {
        "[QueryParam::permissions==true]",
        "[QueryParam::dateFrom==2018-01-01]",
        "[QueryParam::jql==(?i)project\\s*=\\s*\"?JRA\"?]",
        "[QueryParam::expand==names|schema]",
        "[QueryParam::a==\\d+]",
        "[QueryParam::permissions==]",
        "[QueryParam::x==.*]",
        "[QueryParam::q==a b]",
        "[QueryParam::q==a\\+b]",
        "[JsonData::editable==false]",
        "[JsonData::favourite==false]",
        "[JsonData::fields.project.key==JRA]",
        "[JsonData::/fields/project/key==JRA]",
        "[JsonData::/fields/labels/0==[a-z]+]",
        "[JsonData::fields.labels==\\[.*\\]]",
        "[JsonData::body==.*]",
        "[JsonData::fields==\\{.*\\}]",
        "[JsonData::n==1]",
        "[JsonData::n==null]"
    };

    private static final List<String> PATHS = List.of(
            "/rest/api/2/issue/JRA-1",
            "/rest/api/2/issue/AAA-1",
            "/rest/api/2/issue/KANBAN-100/comment",
            "/rest/extender/1.0/filter/user/admin",
            "/rest/extender/1.0/worklog/user/admin",
            "/rest/api/2/filter",
            "/rest/api/2/search",
            "/rest/api/2/myself",
            "/rest/pat/latest/tokens",
            "/other/x");

    /** Segments that canonicalization decodes, merges or refuses. */
    private static final String[] ODD_SEGMENTS = {
        "%41",
        "JR%41-1",
        "%2F",
        "%2f",
        ".",
        "..",
        "%2e",
        "%2E%2E",
        "",
        "ü",
        "%C3%BC",
        "a;b",
        ";",
        "%3B",
        "%25",
        "%5C",
        "\\",
        "%00",
        "%zz",
        "%C3",
        "+",
        "%20",
        "a%20b",
        "~",
        "JRA-%31",
        "%E2%82%AC",
        "€",
        "%7e",
        "JRA-1%2F..",
        "%252F",
        "%u0041",
        "rest"
    };

    private static final String[] QUERY_PARTS = {
        "permissions=true",
        "permissions=false",
        "permissions=",
        "permissions",
        "dateFrom=2018-01-01",
        "dateTo=2018-12-01",
        "jql=project+%3D+JRA",
        "jql=project%20=%20JRA",
        "jql=project=\"JRA\"",
        "expand=names",
        "expand=schema",
        "expand=names,schema",
        "a=1",
        "a=x",
        "%70ermissions=true",
        "permissions=tru%65",
        "_method=DELETE",
        "_METHOD=get",
        "x=%zz",
        "x=%C3",
        "x=ü",
        "q=a+b",
        "q=a%2Bb",
        "q=a%20b",
        "",
        "=",
        "a=1=2",
        "permissions=true;a=1"
    };

    private static final String[] BODIES = {
        "{\"editable\":false,\"favourite\":false}",
        "{\"editable\":\"false\",\"favourite\":false}",
        "{\"editable\":false}",
        "{\"editable\":false,\"favourite\":false,\"editable\":true}",
        "{\"fields\":{\"project\":{\"key\":\"JRA\"},\"labels\":[\"a\",\"b\"]}}",
        "{\"fields\":{\"project\":{\"key\":\"KANBAN\"},\"labels\":[]}}",
        "{\"fields\":{\"project\":{\"key\":[\"JRA\"]}}}",
        "{\"body\":\"Comment text\"}",
        "{\"n\":1}",
        "{\"n\":1.0}",
        "{\"n\":null}",
        "[1,2]",
        "{broken",
        "",
        "null",
        "\"text\"",
        "{\"a.b\":1}",
        "{\"editable\":false} trailing"
    };

    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};

    private final SplittableRandom random;

    CheckCases(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Limits text: sometimes none at all, sometimes a seed example, else one to three generated rules. */
    String limits() {
        int kind = random.nextInt(12);
        if (kind == 0) {
            return "";
        }
        if (kind == 1) {
            return pick(SEEDS);
        }
        List<String> lines = new ArrayList<>();
        if (random.nextInt(4) == 0) {
            lines.add("# generated");
        }
        int rules = 1 + random.nextInt(3);
        for (int i = 0; i < rules; i++) {
            StringBuilder rule = new StringBuilder();
            if (random.nextInt(3) == 0) {
                rule.append(pick(METHOD_LISTS));
            }
            rule.append(pick(URL_REGEXES));
            while (random.nextInt(3) == 0) {
                rule.append(pick(CONDITIONS));
            }
            lines.add(rule.toString());
            if (random.nextInt(6) == 0) {
                lines.add("");
            }
        }
        return String.join("\n", lines);
    }

    /**
     * A request for {@code limits}: its query parameters and body fields are, more often than
     * chance would have it, those the limits' conditions name, so that conditions are met and
     * missed by a hair (a {@code +}, an escape, a second value, a string for a boolean).
     */
    Request request(String limits) {
        int odd = random.nextInt(40);
        String method = odd == 0 ? "get" : odd == 1 ? "TRACE" : pick(METHODS);
        StringBuilder target = new StringBuilder(path());
        List<String> named = named(QUERY_NAME, limits);
        if (random.nextInt(3) != 0) {
            int parts = 1 + random.nextInt(3);
            target.append('?');
            for (int i = 0; i < parts; i++) {
                target.append(i == 0 ? "" : "&").append(pickNamed(QUERY_PARTS, named, "="));
            }
        }
        boolean bodyMethod = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
        String body = bodyMethod && random.nextInt(6) != 0 || random.nextInt(10) == 0
                ? pickNamed(BODIES, named(JSON_NAME, limits), "\"")
                : null;
        return new Request(method, target.toString(), body);
    }

    private static final Pattern QUERY_NAME = Pattern.compile("QueryParam::(\\w+)==");
    private static final Pattern JSON_NAME = Pattern.compile("JsonData::/?(\\w+)");

    private static List<String> named(Pattern pattern, String limits) {
        List<String> names = new ArrayList<>();
        Matcher m = pattern.matcher(limits);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Mostly one of {@code options} that mentions one of {@code names} (followed by {@code after}), when any does. */
    private String pickNamed(String[] options, List<String> names, String after) {
        if (names.isEmpty() || random.nextInt(3) == 0) {
            return pick(options);
        }
        String name = pick(names);
        List<String> fitting =
                Arrays.stream(options).filter(o -> o.contains(name + after)).toList();
        return fitting.isEmpty() ? pick(options) : pick(fitting);
    }

    /** A realistic path, mostly with one or two segments replaced or added from {@link #ODD_SEGMENTS}. */
    private String path() {
        List<String> segments = new ArrayList<>(List.of(pick(PATHS).substring(1).split("/")));
        int dice = random.nextInt(20);
        int edits = dice < 10 ? 0 : dice < 17 ? 1 : 2;
        for (int i = 0; i < edits; i++) {
            int at = 1 + random.nextInt(segments.size());
            if (random.nextBoolean() && at < segments.size()) {
                segments.set(at, pick(ODD_SEGMENTS));
            } else {
                segments.add(at, pick(ODD_SEGMENTS));
            }
        }
        String path = "/" + String.join("/", segments);
        return random.nextInt(10) == 0 ? path + "/" : path;
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }

    private String pick(List<String> options) {
        return options.get(random.nextInt(options.size()));
    }
}
