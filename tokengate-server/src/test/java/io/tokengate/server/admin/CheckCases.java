package io.tokengate.server.admin;

import io.tokengate.core.token.SecretScanner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Random limits and requests for {@link CheckDifferentialIT}, built from pieces that exercise what
 * the gateway does before and while it decides: path encodings it decodes or refuses (dot
 * segments, {@code %2F}, {@code ;}, repeated slashes, non-ASCII), queries as Jira parses them,
 * JSON bodies of every shape, and rules of each kind (methods, URL regexes, {@code QueryParam},
 * {@code JsonData}).
 *
 * <p>Requests that a rule judging query parameters allows take more than chance: left to chance,
 * hardly one in a few hundred is, yet that is where the gateway refuses what the limits allow
 * (more query parameters than Jira reads, {@code QueryParameterCount}). So some limits are built
 * around such a rule ({@link #queryLimits()}), and requests for any rule with a known condition
 * are mostly built to meet it ({@link #queryRequest}): repeated parameters, encoded names and
 * values, empty values, a near miss now and then, and now and then a query of about a thousand
 * parameters.
 */
final class CheckCases {
    /**
     * One request: the method, the target as on the wire (path and query), its header lines
     * ({@code Name: value}; with a body and no Content-Type among them, JSON is sent), the body or
     * null.
     */
    record Request(String method, String target, List<String> headers, String body) {
        Request(String method, String target, String body) {
            this(method, target, List.of(), body);
        }

        /** The query's segments between {@code &}, empty ones too, as Jira's limit counts them; 0 without a query. */
        int querySegments() {
            int query = target.indexOf('?');
            return query < 0 ? 0 : target.substring(query).split("&", -1).length;
        }

        @Override
        public String toString() {
            return SecretScanner.redact(method + " " + target + (headers.isEmpty() ? "" : " headers " + headers)
                    + (body == null ? "" : " body " + body));
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
            "/rest/PAT/latest/tokens",
            "/rest/pat",
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
        "os_username=bob",
        "OS%5FPASSWORD=secret",
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
        "{\"editable\":false} trailing",
        "body=hi&os_username=bob&os_password=secret", // a form body Jira would sign in by
        "body=hi+os_username&%4Fs_Password=x"
    };

    /** A URL regex and paths under {@code http://gw.example.test} whose canonical form it matches. */
    private record Route(String urlRegex, List<String> paths) {}

    private static final List<Route> ROUTES = List.of(
            new Route(
                    ".*/rest/extender/1.0/filter/user/.*",
                    List.of(
                            "/rest/extender/1.0/filter/user/admin",
                            "/rest/extender/1.0/filter/user/j%C3%BCrgen",
                            "/rest/extender/1.0/filter/user/a%20b",
                            "/rest//extender/1.0/filter/user/admin/")),
            new Route(".*rest/extender/1.0/worklog/user/.*", List.of("/rest/extender/1.0/worklog/user/admin")),
            new Route(".*/rest/api/2/search", List.of("/rest/api/2/search", "/rest/api//2/search")),
            new Route(
                    ".*/rest/api/2/.*", List.of("/rest/api/2/search", "/rest/api/2/myself", "/rest/api/2/issue/JRA-1")),
            new Route(
                    ".*/rest/api/2/issue/JRA.*", List.of("/rest/api/2/issue/JRA-1", "/rest/api/2/issue/JRA-1/comment")),
            new Route(".*/rest/api/2/issue/[A-Z]+-\\d+", List.of("/rest/api/2/issue/JRA-1", "/rest/api/2/issue/AAA-1")),
            new Route("http://gw\\.example\\.test/rest/.*", List.of("/rest/api/2/search", "/rest/api/2/myself")),
            new Route(".*", List.of("/rest/api/2/search", "/rest/extender/1.0/filter/user/admin")));

    /**
     * A {@code QueryParam} condition, query parameters as on the wire that meet it, and some that
     * miss it by a hair (or that the gateway refuses as malformed).
     */
    private record QueryCondition(String text, List<String> meeting, List<String> missing) {}

    private static final List<QueryCondition> QUERY_CONDITIONS = List.of(
            new QueryCondition(
                    "[QueryParam::permissions==true]",
                    List.of(
                            "permissions=true",
                            "%70ermissions=true",
                            "permissions=tru%65",
                            "permission%73=%74%72%75%65"),
                    List.of(
                            "permissions=false",
                            "permissions=",
                            "permissions",
                            "permissions=TRUE",
                            "permissions=true+",
                            "permissions=%20true")),
            new QueryCondition(
                    "[QueryParam::dateFrom==2018-01-01]",
                    List.of("dateFrom=2018-01-01", "dateFrom=2018%2D01%2D01", "date%46rom=2018-01-01"),
                    List.of("dateFrom=2018-1-1", "datefrom=2018-01-01", "dateFrom=2018-01-01%0A")),
            new QueryCondition(
                    "[QueryParam::dateTo==2018-12-01]",
                    List.of("dateTo=2018-12-01", "dateT%6F=2018-12-0%31"),
                    List.of("dateTo=2018-12-1", "dateTo=2018-12-01+")),
            new QueryCondition(
                    "[QueryParam::jql==(?i)project\\s*=\\s*\"?JRA\"?]",
                    List.of(
                            "jql=project+%3D+JRA",
                            "jql=project%20=%20JRA",
                            "jql=project=\"JRA\"",
                            "jql=PROJECT%3D%22jra%22",
                            "jql=project%09=%0D%0AJRA"),
                    List.of("jql=project+%3D+JRA+OR+project+%3D+KANBAN", "jql=project%3DKANBAN", "jql=")),
            new QueryCondition(
                    "[QueryParam::expand==names|schema]",
                    List.of("expand=names", "expand=schema", "expand=n%61mes"),
                    List.of("expand=names,schema", "expand=names%2Cschema", "expand=")),
            new QueryCondition(
                    "[QueryParam::a==\\d+]",
                    List.of("a=1", "a=007", "a=%31%32"),
                    List.of("a=x", "a=", "a=1=2", "a=%EF%BC%91", "a=-1")),
            new QueryCondition(
                    "[QueryParam::permissions==]",
                    List.of("permissions=", "permissions"),
                    List.of("permissions=true", "permissions=%20")),
            new QueryCondition(
                    "[QueryParam::x==.*]",
                    List.of("x=ü", "x=", "x", "x=%C3%BC", "x=a%26b", "x=%3D", "x=a=b", "x=%E2%82%AC"),
                    List.of("x=%0A", "x=%zz", "x=%C3")),
            new QueryCondition(
                    "[QueryParam::q==a b]", List.of("q=a+b", "q=a%20b"), List.of("q=a%2Bb", "q=a++b", "q=a+b+")),
            new QueryCondition("[QueryParam::q==a\\+b]", List.of("q=a%2Bb", "q=a%2bb"), List.of("q=a+b", "q=a%09b")),
            new QueryCondition(
                    "[QueryParam::user name==.*]",
                    List.of("user+name=x", "user%20name=", "user%20name"),
                    List.of("user_name=x", "username=x", "user%2Bname=x")),
            new QueryCondition(
                    "[QueryParam::ü==ja]",
                    List.of("ü=ja", "%C3%BC=ja", "%C3%BC=j%61"),
                    List.of("%FC=ja", "u=ja", "%C3%BC=JA")),
            new QueryCondition(
                    "[QueryParam::fields==[a-z]+(,[a-z]+)*]",
                    List.of("fields=summary", "fields=summary,status", "fields=summary%2Cstatus"),
                    List.of("fields=summary,", "fields=Summary", "fields=*all")),
            new QueryCondition(
                    "[QueryParam::maxResults==[0-9]{1,3}]",
                    List.of("maxResults=50", "maxResults=999", "maxResults=0"),
                    List.of("maxResults=1000", "maxResults=50.0", "maxResults=%2050")),
            new QueryCondition("[QueryParam::a&b==1]", List.of("a%26b=1"), List.of("a&b=1", "a%26b=2")),
            new QueryCondition("[QueryParam::k==a=b]", List.of("k=a=b", "k=a%3Db"), List.of("k=a", "k=a%3D")));

    /** Parameters beside those a rule judges: empty ones, valueless ones, Jira's own. */
    private static final String[] QUERY_NOISE = {
        "",
        "=",
        "p=1",
        "p=",
        "p",
        "startAt=0",
        "maxResults=50",
        "fields=*all",
        "expand=names",
        "jql=order+by+key",
        "%20=%20",
        "x=%C3%BC",
        "_=1700000000",
        "a=1=2",
        "q=a+b"
    };

    /** Short parameters to pad a query with, up to about a thousand. */
    private static final String[] FILLERS = {"", "p", "p=1", "p=", "=", "a=1"};

    /** Methods lists for rules built around query conditions: the requests then take one of them. */
    private static final String[] READ_METHOD_LISTS = {"[GET]", "[GET|HEAD]", "[get,post]"};

    /** Rules without query conditions, beside one that has them. */
    private static final String[] PLAIN_RULES = {
        ".*/rest/api/2/.*", ".*", "[DELETE].*", ".*/rest/api/2/issue/JRA.*", "[POST].*/rest/api/2/search"
    };

    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};

    private final SplittableRandom random;
    /** Picks the headers apart from the rest, so that the requests are those of a seed without them. */
    private final SplittableRandom headerRandom;

    CheckCases(long seed) {
        this.random = new SplittableRandom(seed);
        this.headerRandom = new SplittableRandom(~seed);
    }

    /**
     * Limits text: sometimes none at all, sometimes a seed example, often limits built around a
     * rule that judges query parameters, else one to three generated rules.
     */
    String limits() {
        int kind = random.nextInt(12);
        if (kind == 0) {
            return "";
        }
        if (kind == 1) {
            return pick(SEEDS);
        }
        if (kind <= 5) {
            return queryLimits();
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
     * missed by a hair (a {@code +}, an escape, a second value, a string for a boolean); for a rule
     * with a condition of {@link #QUERY_CONDITIONS} on a URL regex of {@link #ROUTES}, mostly one
     * built to meet it.
     */
    Request request(String limits) {
        Request request = requestWithoutHeaders(limits);
        if (headerRandom.nextInt(4) != 0) {
            return request;
        }
        List<String> headers = new ArrayList<>(List.of(HEADERS.get(headerRandom.nextInt(HEADERS.size()))));
        if (headerRandom.nextInt(4) == 0) {
            headers.add(HEADERS.get(headerRandom.nextInt(HEADERS.size())));
        }
        return new Request(request.method(), request.target(), headers, request.body());
    }

    /**
     * Headers the gateway refuses a request for (some only under a rule that judges query
     * parameters, or limits that read the body), and some it takes.
     */
    private static final List<String> HEADERS = List.of(
            "Content-Type: application/x-www-form-urlencoded",
            "Content-Type: application/x-www-form-urlencoded; charset=UTF-16",
            "Content-Type: multipart/form-data; boundary=x",
            "Content-Type: application/json; charset=ISO-8859-1",
            "Content-Type: application/json; charset=UTF-8",
            "Content-Type: text/plain",
            "Content-Encoding: gzip",
            "Content-Encoding: identity",
            "X-HTTP-Method-Override: DELETE",
            "X-Original-URL: /rest/api/2/myself",
            "X-Forwarded-User: bob",
            "X_Forwarded_User: bob",
            "Content_Type: text/plain",
            "Accept: application/json");

    private Request requestWithoutHeaders(String limits) {
        List<QueryRule> queryRules = queryRules(limits);
        if (!queryRules.isEmpty() && random.nextInt(5) != 0) {
            return queryRequest(pick(queryRules));
        }
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

    /**
     * Limits around one rule with one or two query conditions on a known route: alone, or before a
     * rule without conditions (which allows what the first misses), after one for other requests,
     * or beside a second such rule.
     */
    private String queryLimits() {
        List<String> lines = new ArrayList<>();
        lines.add(queryRule());
        switch (random.nextInt(5)) {
            case 0 -> lines.add(pick(PLAIN_RULES));
            case 1 -> lines.add(0, "[DELETE].*/rest/api/2/issue/JRA.*");
            case 2 -> lines.add(queryRule());
            default -> {}
        }
        return String.join("\n", lines);
    }

    private String queryRule() {
        StringBuilder rule = new StringBuilder();
        if (random.nextInt(4) == 0) {
            rule.append(pick(READ_METHOD_LISTS));
        }
        rule.append(pick(ROUTES).urlRegex());
        QueryCondition first = pick(QUERY_CONDITIONS);
        rule.append(first.text());
        if (random.nextInt(3) == 0) {
            QueryCondition second = pick(QUERY_CONDITIONS);
            if (!second.equals(first)) {
                rule.append(second.text());
            }
        }
        return rule.toString();
    }

    /** A line of limits whose URL regex is a {@link Route} and which has known query conditions. */
    private record QueryRule(List<String> methods, Route route, List<QueryCondition> conditions, String jsonNames) {}

    /** The rules of {@code limits} that {@link #queryRequest} can build requests for. */
    private static List<QueryRule> queryRules(String limits) {
        List<QueryRule> rules = new ArrayList<>();
        for (String line : limits.split("\n")) {
            Matcher methodList = METHOD_LIST.matcher(line);
            List<String> methods =
                    methodList.lookingAt() ? List.of(methodList.group(1).split("[,|]")) : List.of();
            String rest = methodList.lookingAt() ? line.substring(methodList.end()) : line;
            int conditionsAt = rest.indexOf("[QueryParam::");
            int jsonAt = rest.indexOf("[JsonData::");
            int urlEnd = conditionsAt < 0 ? jsonAt : jsonAt < 0 ? conditionsAt : Math.min(conditionsAt, jsonAt);
            if (urlEnd < 0) {
                continue;
            }
            String url = rest.substring(0, urlEnd);
            String conditions = rest.substring(urlEnd);
            List<QueryCondition> known = QUERY_CONDITIONS.stream()
                    .filter(c -> conditions.contains(c.text()))
                    .toList();
            ROUTES.stream()
                    .filter(route -> route.urlRegex().equals(url))
                    .findFirst()
                    .filter(route -> !known.isEmpty())
                    .ifPresent(route -> rules.add(new QueryRule(methods, route, known, conditions)));
        }
        return rules;
    }

    /**
     * A request for {@code rule}, mostly meeting its query conditions: each met by one to three
     * parameters (the same value or another encoding of it), one in six missed instead or beside,
     * among unrelated parameters, in any order; one in eight has 999 to 1002 parameters, with
     * the rule's own parameter first or last.
     */
    private Request queryRequest(QueryRule rule) {
        List<String> parts = new ArrayList<>();
        for (QueryCondition condition : rule.conditions()) {
            int times = random.nextInt(4) == 0 ? 2 + random.nextInt(2) : 1;
            for (int i = 0; i < times; i++) {
                parts.add(pick(condition.meeting()));
            }
            if (random.nextInt(6) == 0) {
                parts.set(parts.size() - 1, pick(condition.missing()));
            }
        }
        for (int i = random.nextInt(4); i > 0; i--) {
            parts.add(pick(QUERY_NOISE));
        }
        for (int i = parts.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            parts.set(i, parts.set(j, parts.get(i)));
        }
        if (random.nextInt(8) == 0) {
            // Around Jira's 1000: every segment between '&' counts, empty or repeated. Fillers of a
            // few ASCII bytes keep the forwarded request within the 8 KiB head the sample Jira
            // reads, as Tomcat does by default: it refuses a longer one and closes the connection,
            // and the gateway's next request may meet the closing connection (502).
            int total = 999 + random.nextInt(4);
            String meeting = pick(rule.conditions().get(0).meeting());
            String filler = random.nextInt(3) == 0 && meeting.matches("[!-~]{1,5}") ? meeting : pick(FILLERS);
            List<String> fill = new ArrayList<>();
            for (int i = parts.size(); i < total; i++) {
                fill.add(filler);
            }
            parts.addAll(random.nextBoolean() ? 0 : parts.size(), fill);
        }
        String method = rule.methods().isEmpty()
                ? random.nextInt(4) != 0 ? "GET" : pick(METHODS)
                : pick(rule.methods()).toUpperCase(Locale.ROOT);
        List<String> jsonNames = named(JSON_NAME, rule.jsonNames());
        String body = jsonNames.isEmpty() ? null : pickNamed(BODIES, jsonNames, "\"");
        return new Request(method, pick(rule.route().paths()) + "?" + String.join("&", parts), body);
    }

    private static final Pattern METHOD_LIST = Pattern.compile("\\[([A-Za-z]+(?:[,|][A-Za-z]+)*)\\]");
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

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }
}
