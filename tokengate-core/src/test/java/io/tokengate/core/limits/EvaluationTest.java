package io.tokengate.core.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.tokengate.core.request.JsonLookup;
import io.tokengate.core.request.JsonPath;
import io.tokengate.core.request.RequestView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluationTest {

    @Test
    void urlRegexMatchesTheWholePublicUrlNotAPartOfIt() {
        Limits limits = LimitsParser.parse("/rest/api/2/issue/JRA-1");
        assertThat(limits.evaluate(Request.get("/rest/api/2/issue/JRA-1")).allowed())
                .as("without .* the regex must also match the scheme and host")
                .isFalse();
        assertThat(LimitsParser.parse("https://jira\\.example\\.com/rest/api/2/issue/JRA-1")
                        .evaluate(Request.get("/rest/api/2/issue/JRA-1"))
                        .allowed())
                .isTrue();
        assertThat(LimitsParser.parse(".*/issue/JRA")
                        .evaluate(Request.get("/rest/api/2/issue/JRA-1"))
                        .allowed())
                .isFalse();
    }

    @Test
    void urlRegexIgnoresTheQueryString() {
        Limits limits = LimitsParser.parse(".*/rest/api/2/search");
        assertThat(limits.evaluate(Request.get("/rest/api/2/search?jql=project%3DJRA"))
                        .allowed())
                .isTrue();
        assertThat(LimitsParser.parse(".*/search\\?.*")
                        .evaluate(Request.get("/rest/api/2/search?jql=x"))
                        .allowed())
                .isFalse();
    }

    @Test
    void urlRegexMatchesTheDecodedCanonicalPath() {
        Limits limits = LimitsParser.parse(".*/issue/JRA-1");
        assertThat(limits.evaluate(Request.get("/rest//api/2/issue/%4ARA-1")).allowed())
                .isTrue();
    }

    @Test
    void regexesAreCaseSensitiveUnlessAskedOtherwise() {
        assertThat(LimitsParser.parse(".*/issue/jra-1")
                        .evaluate(Request.get("/issue/JRA-1"))
                        .allowed())
                .isFalse();
        assertThat(LimitsParser.parse("(?i).*/issue/jra-1")
                        .evaluate(Request.get("/issue/JRA-1"))
                        .allowed())
                .isTrue();
    }

    @Test
    void methodNamesAreMatchedExactlySoGetDoesNotAllowHead() {
        Limits limits = LimitsParser.parse("[GET].*");
        assertThat(limits.evaluate(Request.of("GET", "/x")).allowed()).isTrue();
        assertThat(limits.evaluate(Request.of("HEAD", "/x")).allowed()).isFalse();
    }

    @Test
    void everyValueOfARepeatedParameterMustMatch() {
        Limits limits = LimitsParser.parse(".*/filter/user/.*[QueryParam::permissions==true]");
        Decision polluted = limits.evaluate(Request.get("/filter/user/a?permissions=true&permissions=false"));
        assertThat(polluted.allowed()).isFalse();
        assertThat(polluted.failures().get(0).reason())
                .isEqualTo("query parameter 'permissions': one of 2 values 'false' does not match 'true'");
        assertThat(limits.evaluate(Request.get("/filter/user/a?permissions=true&permissions=true"))
                        .allowed())
                .isTrue();
        assertThat(limits.evaluate(Request.get("/filter/user/a?permissions=false&permissions=true"))
                        .allowed())
                .isFalse();
    }

    @Test
    void parameterValuesAreDecodedBeforeMatching() {
        Limits limits = LimitsParser.parse(".*/search[QueryParam::jql==project = JRA]");
        assertThat(limits.evaluate(Request.get("/search?jql=project+%3D+JRA")).allowed())
                .isTrue();
        assertThat(limits.evaluate(Request.get("/search?jql=project%20=%20JRA")).allowed())
                .isTrue();
        assertThat(limits.evaluate(Request.get("/search?jq%6C=project+=+JRA")).allowed())
                .isTrue();
        assertThat(limits.evaluate(Request.get("/search?jql=project+=+JRA+OR+1=1"))
                        .allowed())
                .isFalse();
    }

    @Test
    void parameterNamesAreCaseSensitiveAndAParameterWithoutValueHasTheEmptyValue() {
        Limits limits = LimitsParser.parse(".*[QueryParam::expand==]");
        assertThat(limits.evaluate(Request.get("/x?expand")).allowed()).isTrue();
        assertThat(limits.evaluate(Request.get("/x?expand=")).allowed()).isTrue();
        assertThat(limits.evaluate(Request.get("/x?Expand")).allowed()).isFalse();
    }

    @Test
    void aJsonConditionDoesNotHoldWhenTheBodyIsUnusableOrTheNodeMissing() {
        Limits limits = LimitsParser.parse(".*[JsonData::editable==false]");
        Decision unusable =
                limits.evaluate(Request.post("/f").withJson(p -> JsonLookup.unusable("duplicate key 'editable'")));
        assertThat(unusable.allowed()).isFalse();
        assertThat(unusable.failures().get(0).reason()).isEqualTo("JSON 'editable': duplicate key 'editable'");
        Decision missing = limits.evaluate(Request.post("/f").withJson(Map.of()));
        assertThat(missing.failures().get(0).reason()).isEqualTo("JSON 'editable': no such node in the body");
    }

    @Test
    void aJsonConditionHoldsOnlyForAMethodWhoseBodyJiraReads() {
        Limits limits = LimitsParser.parse(".*/issue/JRA-1[JsonData::fields.labels.0==triaged]");
        Map<String, String> body = Map.of("fields.labels.0", "triaged");
        for (String method : List.of("POST", "PUT", "PATCH")) {
            assertThat(limits.evaluate(Request.of(method, "/rest/api/2/issue/JRA-1")
                                    .withJson(body))
                            .allowed())
                    .as(method)
                    .isTrue();
        }
        for (String method : List.of("GET", "HEAD", "DELETE", "OPTIONS", "PROPFIND")) {
            Decision decision = limits.evaluate(
                    Request.of(method, "/rest/api/2/issue/JRA-1").withJson(body));
            assertThat(decision.allowed()).as(method).isFalse();
            assertThat(decision.failures().get(0).reason())
                    .isEqualTo(
                            "JSON 'fields.labels.0': only a POST, PUT or PATCH body counts, and this is a " + method);
        }
    }

    @Test
    void anEvaluationErrorDeniesInsteadOfThrowing() {
        Limits limits = LimitsParser.parse(".*[JsonData::a==1]\n.*/other");
        Decision decision = limits.evaluate(Request.post("/f").withJson(p -> {
            throw new IllegalStateException("broken body reader");
        }));
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.failures().get(0).reason()).isEqualTo("could not be evaluated (IllegalStateException)");
        assertThat(limits.needsBody(Request.post("/f"))).isTrue();
    }

    @Test
    void theDecisionNamesTheAllowingRuleOrEachRulesFirstFailingPart() {
        Limits limits = LimitsParser.parse(
                "# CI job\n[GET].*/issue/JRA-.*\n[POST].*/comment[QueryParam::notify==false]\n.*/filter[JsonData::editable==false]");
        Decision allowed = limits.evaluate(Request.post("/rest/api/2/issue/JRA-1/comment?notify=false"));
        assertThat(allowed.reason()).isEqualTo("allowed by rule 2 (line 3)");
        assertThat(allowed.explain())
                .isEqualTo("ALLOWED by rule 2 (line 3): [POST].*/comment[QueryParam::notify==false]");

        Decision denied = limits.evaluate(Request.post("/rest/api/2/issue/JRA-1/comment?notify=true"));
        assertThat(denied.failures())
                .extracting(f -> f.part().toString())
                .containsExactly("[GET]", "[QueryParam::notify==false]", ".*/filter");
        assertThat(denied.reason())
                .isEqualTo("denied: rule 1 (line 2) method POST is not GET;"
                        + " rule 2 (line 3) query parameter 'notify': value 'true' does not match 'false';"
                        + " rule 3 (line 4) URL 'https://jira.example.com/rest/api/2/issue/JRA-1/comment'"
                        + " does not match '.*/filter'");
        assertThat(denied.explain())
                .startsWith("DENIED: no rule matches")
                .contains("    failed at [GET]: method POST is not GET");
    }

    @Test
    void noLimitsAllowEverything() {
        Decision decision = Limits.none().evaluate(Request.of("DELETE", "/rest/api/2/issue/X-1"));
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.rule()).isEmpty();
        assertThat(decision.reason()).isEqualTo("allowed: the token has no limits");
        assertThat(decision).hasToString("allowed: the token has no limits");
        assertThat(decision.explain())
                .isEqualTo("ALLOWED: the token has no limits, so every supported endpoint is allowed");
        assertThat(Limits.none().isUnrestricted()).isTrue();
        assertThat(LimitsParser.parse(".*").isUnrestricted()).isFalse();
    }

    @Test
    void aRuleWithoutAMethodListAllowsEveryMethodEvenOnesTheLanguageDoesNotName() {
        Limits limits = LimitsParser.parse("[GET].*/rest/api/2/issue/.*\n.*/rest/webdav/.*");
        assertThat(limits.evaluate(Request.of("PROPFIND", "/rest/webdav/x")).reason())
                .isEqualTo("allowed by rule 2 (line 2)");
        assertThat(limits.evaluate(Request.of("PROPFIND", "/rest/api/2/issue/X-1"))
                        .reason())
                .startsWith("denied: rule 1 (line 1) method PROPFIND is not GET;");
    }

    /** Rules are found in bit sets of 64 per word: the rule named must be the one that matched. */
    @Test
    void theAllowingRuleIsNamedRightPastTheFirstSixtyFourRules() {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 150; i++) {
            text.append("[GET].*/rest/api/2/project/P").append(i).append('\n');
        }
        Limits limits = LimitsParser.parse(text.toString());
        for (int i : new int[] {1, 64, 65, 70, 128, 129, 150}) {
            assertThat(limits.evaluate(Request.get("/rest/api/2/project/P" + i)).reason())
                    .isEqualTo("allowed by rule " + i + " (line " + i + ")");
        }
        assertThat(limits.evaluate(Request.get("/rest/api/2/project/P151")).allowed())
                .isFalse();
        assertThat(limits.evaluate(Request.post("/rest/api/2/project/P70")).allowed())
                .isFalse();
    }

    @Test
    void aDenialSaysWhyEachConditionFailed() {
        Limits limits = LimitsParser.parse(".*/f[QueryParam::a==1]\n.*/g[JsonData::b==1]");
        assertThat(limits.evaluate(Request.get("/f")).failures().get(0).reason())
                .isEqualTo("query parameter 'a' is absent");
        assertThat(limits.evaluate(Request.post("/g").withJson(Map.of("b", "2")))
                        .failures()
                        .get(1)
                        .reason())
                .isEqualTo("JSON 'b': value '2' does not match '1'");
        assertThat(limits.evaluate(Request.post("/g").withJson(Map.of()))
                        .failures()
                        .get(1)
                        .reason())
                .isEqualTo("JSON 'b': no such node in the body");
    }

    @Test
    void theBodyIsNeededOnlyWhenEvaluationInRuleOrderReachesAJsonCondition() {
        Limits limits = LimitsParser.parse("[GET].*\n[POST].*/filter[JsonData::editable==false]\n[POST].*");
        assertThat(limits.needsBody(Request.get("/rest/api/2/filter"))).isFalse();
        assertThat(limits.needsBody(Request.post("/rest/api/2/filter"))).isTrue();
        assertThat(limits.needsBody(Request.post("/rest/api/2/issue"))).isFalse();
        assertThat(LimitsParser.parse(".*/f[QueryParam::a==1][JsonData::b==1]").needsBody(Request.post("/f?a=2")))
                .as("a failing query condition makes the body irrelevant")
                .isFalse();
        assertThat(LimitsParser.parse(".*/f[QueryParam::a==1]").needsBody(Request.post("/f?a=1")))
                .as("no rule has a JSON condition")
                .isFalse();
    }

    @Test
    void theJsonPathsAreThoseTheConditionsRead() {
        Limits limits = LimitsParser.parse("[GET].*\n[POST].*/filter[JsonData::editable==false]"
                + "[JsonData::/owner/name==a.*]\n[PUT].*/filter/.*[JsonData::editable==true]");
        assertThat(limits.jsonPaths()).containsExactly(JsonPath.parse("editable"), JsonPath.parse("/owner/name"));
        assertThat(LimitsParser.parse(".*/f[QueryParam::a==1]").jsonPaths()).isEmpty();
    }

    /** A view that answers differently each time it is asked is denied, never allowed on a second look. */
    @Test
    void aRequestThatChangesItsAnswersIsDenied() {
        Limits limits = LimitsParser.parse("[GET].*/f");
        RequestView fickle = new RequestView() {
            private int asked;

            @Override
            public String method() {
                return asked++ % 2 == 0 ? "GET" : "POST";
            }

            @Override
            public String url() {
                return Request.PUBLIC_URL + "/f";
            }

            @Override
            public List<String> queryValues(String name) {
                return List.of();
            }

            @Override
            public JsonLookup json(JsonPath path) {
                return JsonLookup.missing();
            }
        };
        Decision decision = limits.evaluate(fickle);
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).isEqualTo("denied: rule 1 (line 1) could not be evaluated consistently");
    }

    @Test
    void aRequestThatCannotSayItsUrlNeedsNoBodyAndIsDenied() {
        Limits limits = LimitsParser.parse(".*/f[JsonData::b==1]");
        RequestView broken = new RequestView() {
            @Override
            public String method() {
                return "POST";
            }

            @Override
            public String url() {
                throw new IllegalStateException("no URL");
            }

            @Override
            public List<String> queryValues(String name) {
                return List.of();
            }

            @Override
            public JsonLookup json(JsonPath path) {
                return JsonLookup.found("1");
            }
        };
        assertThat(limits.needsBody(broken)).isFalse();
        assertThat(limits.evaluate(broken).reason())
                .isEqualTo("denied: rule 1 (line 1) could not be evaluated (IllegalStateException)");
    }

    @Test
    void aRegexThatBacktracksCatastrophicallyInJavaUtilRegexStaysFast() {
        // (a|a)*b or (a+)+$ take exponential time in backtracking engines on "aaaa…c".
        Limits limits = LimitsParser.parse(".*/x/(a+)+b\n.*/y[QueryParam::q==(a|a)*(a|aa)*b]");
        String input = "a".repeat(5000) + "c";
        // java.util.regex needs time exponential in the input here; RE2 is linear, so a generous
        // bound separates the two without measuring performance.
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertThat(limits.evaluate(Request.get("/x/" + input)).allowed()).isFalse();
            assertThat(limits.evaluate(Request.get("/y?q=" + input)).allowed()).isFalse();
        });
    }
}
