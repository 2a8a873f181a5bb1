package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.request.QueryString;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.RawResponse;
import io.tokengate.store.UserRole;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway in front of the servlet container Jira runs on ({@link TomcatEcho}: Tomcat 9 with
 * the connector attributes of Jira's {@code server.xml}), sent a corpus of raw requests built to
 * be read differently by two servers: path parameters, encoded and double-encoded dots, slashes
 * and backslashes, dot segments everywhere, invalid UTF-8, NULs, query separators and
 * duplicates, form bodies beside a query, absolute-form targets, Host variants.
 *
 * <p>For every request the gateway forwards, Tomcat's reading must be the one the gateway decided
 * on, as its audit record states it: the same decoded path (as Tomcat maps it, servlet path plus
 * path info, and as Jersey reads it, the request URI decoded), the same method, and, where the
 * token's restrictions judge parameters, the same parameters (Tomcat's {@code getParameterMap},
 * query and form body together). A request the gateway refuses must never reach Tomcat. Every
 * difference is collected, so that one run reports them all.
 */
class TomcatDifferentialIT {
    private static final String ISSUE = "/rest/api/2/issue/JRA-1";
    private static final String FILTERS = "/rest/extender/1.0/filter/user/alice";

    /** Tokens by name: one unrestricted, one resource, one query value (also on a POST). */
    private static final Map<String, TokenSpec> TOKENS = Map.of(
            "open",
            TokenSpec.bound("open", "admin", "admin"),
            "issue",
            TokenSpec.bound("issue", "admin", "admin").withLimits("[get|post].*" + ISSUE),
            "permissions",
            TokenSpec.bound("permissions", "admin", "admin")
                    .withLimits("[get|post].*" + FILTERS + "[QueryParam::permissions==true]"));

    @TempDir
    static Path home;

    @TempDir
    static Path tomcatBase;

    static TomcatEcho tomcat;
    static GatewayFixture gw;
    static final Map<String, String> AUTH = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        tomcat = TomcatEcho.start(tomcatBase);
        gw = GatewayFixture.start(
                home,
                Map.of(
                        "upstream.url", tomcat.baseUri().toString(),
                        "gateway.public.url", "https://gw.example.com",
                        "login.max.failures", "0"),
                GatewayFixture.headerUpstream());
        gw.addUser("admin", "admin@example.com", UserRole.ADMIN);
        TOKENS.forEach((name, spec) -> AUTH.put(name, gw.basic("admin", spec)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
        if (tomcat != null) {
            tomcat.close();
        }
    }

    /** One raw request; {@code head} is the request line and headers without Authorization. */
    record Case(String name, String token, String requestLine, List<String> headers, String body) {
        boolean isHead() {
            return requestLine.regionMatches(true, 0, "HEAD ", 0, 5);
        }

        String render() {
            StringBuilder out = new StringBuilder(requestLine).append("\r\n");
            boolean host = false;
            for (String header : headers) {
                out.append(header).append("\r\n");
                host |= header.regionMatches(true, 0, "Host:", 0, 5);
            }
            if (!host && !headers.contains("NO-HOST")) {
                out.append("Host: gw.example.com\r\n");
            }
            out.append("Authorization: ").append(AUTH.get(token)).append("\r\n");
            out.append("Connection: close\r\n");
            if (body != null && headers.stream().noneMatch(h -> h.startsWith("Transfer-Encoding"))) {
                out.append("Content-Length: ")
                        .append(body.getBytes(StandardCharsets.ISO_8859_1).length)
                        .append("\r\n");
            }
            out.append("\r\n");
            if (body != null) {
                out.append(body);
            }
            return out.toString().replace("NO-HOST\r\n", "");
        }
    }

    @Test
    void tomcatReadsEveryForwardedRequestAsTheGatewayDecidedOnIt() throws Exception {
        List<Case> corpus = corpus();
        List<String> findings = new ArrayList<>();
        int forwarded = 0;
        int refusedByGateway = 0;
        int answeredByJettysParser = 0;
        Map<String, Integer> byGroup = new TreeMap<>();
        for (Case c : corpus) {
            tomcat.drain();
            String raw = gw.raw(c.render());
            RawResponse response = RawResponse.parse(c.isHead() ? headOnly(raw) : raw);
            List<TomcatEcho.Seen> seen = tomcat.drain();
            String what = c.name() + " [" + c.token() + "] " + c.requestLine();
            String group = c.name().split("[ .]", 2)[0];
            if (seen.isEmpty()) {
                if (response.status() == 200) {
                    findings.add(what + ": 200 without reaching Tomcat");
                }
                byGroup.merge(group + " refused " + response.status(), 1, Integer::sum);
                if (response.body().contains("\"requestId\"")) {
                    refusedByGateway++;
                } else {
                    answeredByJettysParser++; // before any handler: no request id
                }
                continue;
            }
            forwarded++;
            byGroup.merge(group + " forwarded", 1, Integer::sum);
            if (seen.size() != 1) {
                findings.add(what + ": Tomcat saw " + seen.size() + " requests: " + seen);
                continue;
            }
            TomcatEcho.Seen tomcatView = seen.get(0);
            AuditEvent decided =
                    gw.audited(response.header("X-Request-Id").orElseThrow()).orElseThrow();
            findings.addAll(differences(what, c, decided, tomcatView));
        }
        System.out.printf(
                "TomcatDifferentialIT: %d cases, %d forwarded, %d refused by the gateway, %d by Jetty's parser%n",
                corpus.size(), forwarded, refusedByGateway, answeredByJettysParser);
        System.out.println("TomcatDifferentialIT by kind: " + byGroup);
        assertThat(corpus).hasSizeGreaterThan(300);
        assertThat(forwarded).as("controls and benign variants reach Tomcat").isGreaterThan(50);
        assertThat(findings)
                .as("requests Tomcat read otherwise than the gateway decided")
                .isEmpty();
    }

    /**
     * Tomcat reads a form body's parameters with the query's ({@code [true, false]} here): under a
     * rule that judges the query's, the gateway refuses the request rather than let Jira read a
     * value it never checked.
     */
    @Test
    void aFormBodyCannotAddValuesToAQueryParameterTheTokenRestricts() throws Exception {
        tomcat.drain();
        Case formBody = new Case(
                "form",
                "permissions",
                "POST " + FILTERS + "?permissions=true HTTP/1.1",
                List.of("Content-Type: application/x-www-form-urlencoded"),
                "permissions=false");
        RawResponse response = RawResponse.parse(gw.raw(formBody.render()));
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("form body", "query string");
        assertThat(tomcat.drain()).isEmpty();
        AuditEvent event =
                gw.audited(response.header("X-Request-Id").orElseThrow()).orElseThrow();
        assertThat(event.status()).isEqualTo(400);
        assertThat(event.reason()).contains("form body", "rule 1");
    }

    /** The refusal names the client's Content-Type as a quote: short, whatever was sent. */
    @Test
    void aLongFormContentTypeIsQuotedShortInTheRefusal() throws Exception {
        String padding = "p".repeat(3000);
        Case formBody = new Case(
                "form",
                "permissions",
                "POST " + FILTERS + "?permissions=true HTTP/1.1",
                List.of("Content-Type: application/x-www-form-urlencoded; x=" + padding),
                "permissions=false");
        RawResponse response = RawResponse.parse(gw.raw(formBody.render()));
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.body())
                .contains("form body (application/x-www-form-urlencoded; x=")
                .doesNotContain("p".repeat(10));
        assertThat(tomcat.drain()).isEmpty();
    }

    /**
     * Tomcat, with {@code useBodyEncodingForURI} as Jira's connector sets it, decodes the query in
     * the charset the Content-Type names, even on a GET without a body, unless the application
     * sets another first: in UTF-16 the name the gateway reads as {@code \0p\0e\0r...} is {@code
     * permissions}. Jira's encoding filter sets UTF-8, but only once it runs: anything before it
     * that reads a parameter fixes Tomcat's reading. The gateway refuses such a charset under a
     * rule that judges query parameters.
     */
    @Test
    void aQueryIsNeverReadInAnotherCharsetThanTheGatewayRead(@TempDir Path bareHome, @TempDir Path bareBase)
            throws Exception {
        String forged = "%00p%00e%00r%00m%00i%00s%00s%00i%00o%00n%00s=%00f%00a%00l%00s%00e";
        try (TomcatEcho bare = TomcatEcho.start(bareBase, false);
                GatewayFixture gateway = GatewayFixture.start(
                        bareHome,
                        Map.of("upstream.url", bare.baseUri().toString(), "login.max.failures", "0"),
                        GatewayFixture.headerUpstream())) {
            gateway.addUser("admin", "admin@example.com", UserRole.ADMIN);
            String auth = gateway.basic("admin", TOKENS.get("permissions"));
            for (String charset : List.of("UTF-16BE", "utf-16", "ISO-8859-1", "\"UTF-16BE\"")) {
                String request = "GET " + FILTERS + "?" + forged + "&permissions=true HTTP/1.1\r\n"
                        + "Host: gw.example.com\r\nAuthorization: " + auth + "\r\n"
                        + "Content-Type: text/plain; charset=" + charset + "\r\nConnection: close\r\n\r\n";
                RawResponse response = RawResponse.parse(gateway.raw(request));
                assertThat(bare.drain()).as(charset + ": " + response.body()).isEmpty();
                assertThat(response.status()).as(charset).isEqualTo(400);
                assertThat(response.body()).as(charset).contains("charset");
            }
            String utf8 = "GET " + FILTERS + "?permissions=true HTTP/1.1\r\nHost: gw.example.com\r\nAuthorization: "
                    + auth + "\r\nContent-Type: text/plain; charset=UTF-8\r\nConnection: close\r\n\r\n";
            assertThat(RawResponse.parse(gateway.raw(utf8)).status()).isEqualTo(200);
            assertThat(bare.drain())
                    .singleElement()
                    .extracting(TomcatEcho.Seen::parameters)
                    .isEqualTo(Map.of("permissions", List.of("true")));
        }
    }

    /** A rule that allows whatever the parameters does not care where they come from. */
    @Test
    void aFormBodyUnderARuleWithoutQueryConditionsIsForwarded() throws Exception {
        tomcat.drain();
        Case formBody = new Case(
                "form",
                "issue",
                "POST " + ISSUE + "?x=1 HTTP/1.1",
                List.of("Content-Type: application/x-www-form-urlencoded"),
                "y=2");
        RawResponse response = RawResponse.parse(gw.raw(formBody.render()));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(tomcat.drain())
                .singleElement()
                .extracting(TomcatEcho.Seen::parameters)
                .isEqualTo(Map.of("x", List.of("1"), "y", List.of("2")));
    }

    private static List<String> differences(String what, Case c, AuditEvent decided, TomcatEcho.Seen seen) {
        List<String> found = new ArrayList<>();
        if (!"/rest".equals(seen.servletPath())) {
            found.add(what + ": servlet path " + seen.servletPath());
        }
        if (!decided.path().equals(seen.decodedPath())) {
            found.add(what + ": gateway decided on path " + decided.path() + ", Tomcat mapped " + seen.decodedPath());
        }
        String jersey = percentDecode(seen.requestUri());
        if (!decided.path().equals(jersey)) {
            found.add(what + ": gateway decided on path " + decided.path() + ", the request URI reads " + jersey + " ("
                    + seen.requestUri() + ")");
        }
        if (!decided.method().equals(seen.method())) {
            found.add(what + ": gateway decided on " + decided.method() + ", Tomcat saw " + seen.method());
        }
        Map<String, List<String>> gateway = QueryString.parse(decided.query()).asMap();
        boolean judgesParameters = TOKENS.get(c.token()).limits().contains("QueryParam");
        boolean formBody = seen.contentType() != null
                && seen.contentType().toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
        // Without restrictions on them, parameters Tomcat drops (a form body's it adds, those past
        // its maxParameterCount it drops) change nothing the gateway decided.
        boolean beyondTomcatsCount =
                decided.query() != null && decided.query().split("&", -1).length > QueryParameterCount.TOMCAT_MAX;
        if ((judgesParameters || !(formBody || beyondTomcatsCount))
                && !withoutEmptyNames(gateway).equals(seen.parameters())) {
            found.add(what + ": gateway decided on parameters " + gateway + ", Tomcat read " + seen.parameters());
        }
        return found;
    }

    /** The head of an answer to HEAD, whose Content-Length announces a body that never comes. */
    private static String headOnly(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        return end < 0 ? raw : raw.substring(0, end + 4).replaceAll("(?im)^Content-Length:[^\r]*\r\n", "");
    }

    /** Tomcat drops a parameter without a name; no restriction can name one either. */
    private static Map<String, List<String>> withoutEmptyNames(Map<String, List<String>> parameters) {
        Map<String, List<String>> named = new LinkedHashMap<>(parameters);
        named.remove("");
        return named;
    }

    /** The request URI decoded as Jersey decodes it: every escape as UTF-8, '+' as itself. */
    private static String percentDecode(String uri) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < uri.length(); i++) {
            char ch = uri.charAt(i);
            if (ch == '%' && i + 2 < uri.length()) {
                bytes.write(Integer.parseInt(uri.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(ch).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------------ corpus

    private static final List<String> SEGMENT_TRICKS = List.of(
            ".",
            "..",
            "...",
            "%2e",
            "%2E",
            "%2e%2e",
            ".%2e",
            "%2e.",
            "%2E%2e",
            "%252e",
            "%252e%252e",
            "%c0%ae",
            "%c0%ae%c0%ae",
            "%e0%80%ae",
            ";x=y",
            ";jsessionid=ABC",
            ";",
            "",
            "%2F",
            "%2f",
            "%252F",
            "%5C",
            "%5c",
            "%255C",
            "\\",
            "%00",
            "%3F",
            "%23",
            "%3B",
            "%3b",
            "%ff",
            "%",
            "%2",
            "%g0",
            "%u002e",
            "%09",
            "~",
            "%7E",
            "JRA-2/..",
            "x/..",
            "x/%2e%2e",
            "JRA-2/%2e%2e");

    private static final List<String> SUFFIX_TRICKS = List.of(
            ";x=y",
            ";",
            ";jsessionid=ABC",
            ".",
            "..",
            "%2e",
            "%2e%2e",
            "%20",
            "+",
            "%00",
            "%09",
            "%3B",
            "/",
            "//",
            "/.",
            "/..",
            "%2F",
            "%5C",
            "\\",
            "~",
            "%7E",
            "%25",
            "%252e",
            "%C3%A9",
            "%c3%a9",
            "%0a",
            "%3F",
            "%3f",
            "%23",
            "?",
            "#",
            "%EF%BC%8F",
            "%E2%80%AE");

    private static final List<String> QUERY_TRICKS = List.of(
            "permissions=true",
            "permissions=true&permissions=false",
            "permissions=false&permissions=true",
            "permissions=true;permissions=false",
            "permissions=true%26permissions=false",
            "permissions=true%3Bpermissions=false",
            "permissions=tru%65",
            "permissions=TRUE",
            "permissions=true%00",
            "permissions%00=false&permissions=true",
            "permissions+=false&permissions=true",
            "permissions%20=false&permissions=true",
            "%70ermissions=false&permissions=true",
            "%70ermissions=true",
            "permissions=true&PERMISSIONS=false",
            "Permissions=false&permissions=true",
            "permissions=true&=false",
            "=false&permissions=true",
            "&&permissions=true&",
            "permissions",
            "permissions=",
            "permissions==true",
            "permissions=true=false",
            "permissions=true&permissions",
            "permissions=true&x=%ZZ",
            "permissions=true&x=%",
            "permissions=true&x=%C0%AE",
            "permissions=true&x=%ff",
            "permissions=tr%C3%BCe",
            "permissions=true&x=a+b%20c",
            "permissions=true&x=%2B",
            "permissions=true&x=[]|{}^\\`\"<>",
            "permissions=true&_method=DELETE",
            "permissions=true?permissions=false",
            "permissions=true%23&permissions=false",
            "permissions%3Dfalse&permissions=true",
            "permissions=true&permissions%5B%5D=false",
            "permissions[]=false&permissions=true",
            "permissions=true&x=%E2%80%AE",
            "permissions=true&x=%EF%BB%BF",
            "%EF%BB%BFpermissions=false&permissions=true",
            "permissions=true&x=\u00e9",
            "permissions=true&x=%C3%A9",
            "permissions=true%09",
            "permissions=true+",
            "permissions=%20true",
            "permissions=true&jsessionid=x",
            "a=1&".repeat(999) + "permissions=true",
            "a=1&".repeat(1000) + "permissions=true",
            "a&".repeat(1500) + "permissions=true",
            "&".repeat(1500) + "permissions=true");

    static List<Case> corpus() {
        List<Case> cases = new ArrayList<>();
        List<String> segments = List.of("rest", "api", "2", "issue", "JRA-1");
        for (String token : List.of("open", "issue")) {
            cases.add(get("control", token, ISSUE));
            for (int at = 0; at <= segments.size(); at++) {
                for (String trick : SEGMENT_TRICKS) {
                    List<String> path = new ArrayList<>(segments);
                    path.add(at, trick);
                    cases.add(get("path.segment@" + at + " " + trick, token, "/" + String.join("/", path)));
                }
            }
            for (int at = 0; at < segments.size(); at++) {
                for (String trick : SUFFIX_TRICKS) {
                    List<String> path = new ArrayList<>(segments);
                    path.set(at, path.get(at) + trick);
                    cases.add(get("path.suffix@" + at + " " + trick, token, "/" + String.join("/", path)));
                }
            }
            for (String path : List.of(
                    "/rest/api/2/issue/%4aRA-1",
                    "/rest/api/2/issue/%4ARA-1",
                    "/r%65st/api/2/issue/JRA-1",
                    "/%72est/api/2/issue/JRA-1",
                    "/REST/api/2/issue/JRA-1",
                    "//rest/api/2/issue/JRA-1",
                    "/rest/api/2/issue/JRA-1\u0000",
                    "/rest/api/2/issue/JRA-1\t",
                    "/rest/api/2/issue/JRA-1 x",
                    "/rest/api/2/issue/JRA-1\u00c3\u00a9",
                    "/rest/api/2/issue/JRA-1\u00c0\u00ae",
                    "/rest/api/2/issue/JRA-2%2F..%2FJRA-1",
                    "/rest/api/2/issue/JRA-2/..;/JRA-1",
                    "/rest/api/2/issue/JRA-2/.;x=y/JRA-1",
                    "/rest/api/2/issue/JRA-1/;/",
                    "/rest/api/2/issue;/JRA-1",
                    "/rest;/api/2/issue/JRA-1",
                    "/rest/api/2/issue/[JRA-1]",
                    "/rest/api/2/issue/JRA|1",
                    "/rest/api/2/issue/JRA-1?",
                    "/rest/api/2/issue/JRA-1#x",
                    "/rest/api/2/issue/JRA-1%23x",
                    "/rest/api/2/issue/JRA-1%3Fx=1",
                    "/rest/api/2/issue/JRA-1%3F",
                    "/rest/api/2/issue/JRA-1.json",
                    "/rest/api/2/issue/JRA-1%2e%2e%2f..%2fJRA-2")) {
                cases.add(get("path.raw " + path, token, path));
            }
        }
        for (String token : List.of("open", "permissions")) {
            for (String query : QUERY_TRICKS) {
                cases.add(get("query " + query, token, FILTERS + "?" + query));
            }
            cases.addAll(bodies(token));
        }
        cases.addAll(targetsAndHosts());
        return cases;
    }

    private static Case get(String name, String token, String target) {
        return new Case(name, token, "GET " + target + " HTTP/1.1", List.of(), null);
    }

    /** Form bodies beside a query, in every spelling Tomcat or Jersey might read as parameters. */
    private static List<Case> bodies(String token) {
        List<Case> cases = new ArrayList<>();
        String target = FILTERS + "?permissions=true";
        for (String type : List.of(
                "application/x-www-form-urlencoded",
                "application/x-www-form-urlencoded;charset=ISO-8859-1",
                "application/x-www-form-urlencoded; charset=UTF-8",
                "application/x-www-form-urlencoded ; foo=bar",
                "APPLICATION/X-WWW-FORM-URLENCODED",
                "Application/x-www-form-urlencoded",
                "application/x-www-form-urlencoded\t",
                "text/plain",
                "application/json")) {
            for (String body : List.of("permissions=false", "permissions=true", "x=1&permissions=false")) {
                cases.add(new Case(
                        "form " + type + " " + body,
                        token,
                        "POST " + target + " HTTP/1.1",
                        List.of("Content-Type: " + type),
                        body));
            }
            cases.add(new Case(
                    "form chunked " + type,
                    token,
                    "POST " + target + " HTTP/1.1",
                    List.of("Content-Type: " + type, "Transfer-Encoding: chunked"),
                    "11\r\npermissions=false\r\n0\r\n\r\n"));
        }
        cases.add(new Case(
                "form without query",
                token,
                "POST " + FILTERS + " HTTP/1.1",
                List.of("Content-Type: application/x-www-form-urlencoded"),
                "permissions=true"));
        cases.add(new Case(
                "form on GET",
                token,
                "GET " + target + " HTTP/1.1",
                List.of("Content-Type: application/x-www-form-urlencoded"),
                "permissions=false"));
        cases.add(new Case(
                "multipart",
                token,
                "POST " + target + " HTTP/1.1",
                List.of("Content-Type: multipart/form-data; boundary=b"),
                "--b\r\nContent-Disposition: form-data; name=\"permissions\"\r\n\r\nfalse\r\n--b--\r\n"));
        cases.add(new Case(
                "form charset UTF-16BE",
                token,
                "POST " + target + " HTTP/1.1",
                List.of("Content-Type: application/x-www-form-urlencoded; charset=UTF-16BE"),
                "\u0000x=\u00001"));
        return cases;
    }

    private static List<Case> targetsAndHosts() {
        List<Case> cases = new ArrayList<>();
        for (String target : List.of(
                "http://gw.example.com" + ISSUE,
                "http://evil.example" + ISSUE,
                "https://gw.example.com" + ISSUE,
                "http://gw.example.com/rest/api/2/issue/JRA-2/../JRA-1",
                "http://gw.example.com/rest/api/2/issue/JRA-2%2F..%2FJRA-1",
                "http://user@gw.example.com" + ISSUE,
                "http://gw.example.com:8080" + ISSUE,
                "HTTP://GW.EXAMPLE.COM" + ISSUE,
                "http:" + ISSUE,
                "*")) {
            cases.add(get("target " + target, "issue", target));
        }
        for (List<String> headers : List.of(
                List.of("NO-HOST"),
                List.of("Host: gw.example.com", "Host: evil.example"),
                List.of("Host: gw.example.com/rest/api/2/filter"),
                List.of("Host: evil.example"),
                List.of("Host: gw.example.com:443"),
                List.of("Host: [::1]"),
                List.of("Host: gw.example.com@evil.example"),
                List.of("Host: "),
                List.of("Host: gw.example.com", "X-Forwarded-Host: evil.example"),
                List.of("Host: gw.example.com", "X-Original-URL: /rest/api/2/filter"))) {
            cases.add(new Case("host " + headers, "issue", "GET " + ISSUE + " HTTP/1.1", headers, null));
        }
        cases.add(new Case("http/1.0", "issue", "GET " + ISSUE + " HTTP/1.0", List.of("NO-HOST"), null));
        for (String method : List.of("get", "Get", "gET", "post", "HEAD", "head", "GET ", "G\u0000ET")) {
            cases.add(new Case("method " + method, "issue", method + " " + ISSUE + " HTTP/1.1", List.of(), null));
        }
        return cases;
    }
}
