package io.tokengate.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every restriction example of the original product page, allowing and denying as its prose
 * says. The JSON examples are repeated with a real JSON body in the server module.
 */
class SeedExamplesTest {

    private static boolean allows(String limits, Request request) {
        return LimitsParser.parse(limits).evaluate(request).allowed();
    }

    @Test
    void restrictionToJraProjectIssues() {
        String limits = ".*/rest/api/2/issue/JRA.*";
        assertThat(allows(limits, Request.get("/rest/api/2/issue/JRA-1"))).isTrue();
        assertThat(allows(limits, Request.get("/rest/api/2/issue/JRA-10/comment")))
                .isTrue();
        assertThat(allows(limits, Request.post("/rest/api/2/issue/JRA-1/comment")))
                .isTrue();
        assertThat(allows(limits, Request.get("/rest/api/2/issue/ABC-1"))).isFalse();
        assertThat(allows(limits, Request.get("/rest/api/2/search"))).isFalse();
    }

    @Test
    void restrictionToCommentEndpointOfKanban100WithPostOnly() {
        String limits = "[post].*/rest/api/2/issue/KANBAN-100/comment.*";
        assertThat(allows(limits, Request.post("/rest/api/2/issue/KANBAN-100/comment")))
                .isTrue();
        assertThat(allows(limits, Request.get("/rest/api/2/issue/KANBAN-100/comment")))
                .isFalse();
        assertThat(allows(limits, Request.post("/rest/api/2/issue/KANBAN-101/comment")))
                .isFalse();
        assertThat(allows(limits, Request.post("/rest/api/2/issue/KANBAN-100"))).isFalse();
    }

    @Test
    void restrictionToAllFiltersOfAllUsersOnlyWithPermission() {
        String limits = ".*/rest/extender/1.0/filter/user/.*[QueryParam::permissions==true]";
        assertThat(allows(limits, Request.get("/rest/extender/1.0/filter/user/admin?permissions=true")))
                .isTrue();
        assertThat(allows(limits, Request.get("/rest/extender/1.0/filter/user/bob?permissions=true&x=1")))
                .isTrue();
        assertThat(allows(limits, Request.get("/rest/extender/1.0/filter/user/admin?permissions=false")))
                .isFalse();
        assertThat(allows(limits, Request.get("/rest/extender/1.0/filter/user/admin")))
                .isFalse();
    }

    @Test
    void restrictionToWorklogsInTheDateRange() {
        String limits =
                ".*rest/extender/1.0/worklog/user/.*[QueryParam::dateFrom==2018-01-01][QueryParam::dateTo==2018-12-01]";
        assertThat(allows(
                        limits,
                        Request.get("/rest/extender/1.0/worklog/user/admin?dateFrom=2018-01-01&dateTo=2018-12-01")))
                .isTrue();
        assertThat(allows(
                        limits,
                        Request.get("/rest/extender/1.0/worklog/user/admin?dateFrom=2017-01-01&dateTo=2018-12-01")))
                .isFalse();
        assertThat(allows(limits, Request.get("/rest/extender/1.0/worklog/user/admin?dateFrom=2018-01-01")))
                .isFalse();
    }

    @Test
    void restrictionToCreatingUneditableFilters() {
        String limits = ".*/rest/api/2/filter[JsonData::editable==false]";
        Request seedBody = Request.post("/rest/api/2/filter")
                .withJson(Map.of("name", "All Open Bugs", "favourite", "true", "editable", "false"));
        assertThat(allows(limits, seedBody)).isTrue();
        assertThat(allows(limits, Request.post("/rest/api/2/filter").withJson(Map.of("editable", "true"))))
                .isFalse();
        assertThat(allows(limits, Request.post("/rest/api/2/filter").withJson(Map.of())))
                .isFalse();
    }

    @Test
    void restrictionToUneditableFiltersWithoutAddingToFavourites() {
        String limits = ".*/rest/api/2/filter[JsonData::editable==false][JsonData::favourite==false]";
        // The seed's sample body has "favourite": true, so this restriction refuses it.
        assertThat(allows(
                        limits,
                        Request.post("/rest/api/2/filter").withJson(Map.of("favourite", "true", "editable", "false"))))
                .isFalse();
        assertThat(allows(
                        limits,
                        Request.post("/rest/api/2/filter").withJson(Map.of("favourite", "false", "editable", "false"))))
                .isTrue();
    }

    @Test
    void theGeneralFormCombinesMethodUrlQueryAndJson() {
        String limits = "[method].*/rest/api/.*[QueryParam::paramName==Regexp][JsonData::nodeName==Regexp]"
                .replace("[method]", "[PUT]");
        Request request =
                Request.of("PUT", "/rest/api/2/issue/X-1?paramName=Regexp").withJson(Map.of("nodeName", "Regexp"));
        assertThat(allows(limits, request)).isTrue();
        assertThat(allows(
                        limits,
                        Request.of("POST", "/rest/api/2/issue/X-1?paramName=Regexp")
                                .withJson(Map.of("nodeName", "Regexp"))))
                .isFalse();
    }

    @Test
    void allSeedLinesTogetherAllowWhatAnyOneAllows() {
        Limits limits = LimitsParser.parse(String.join(
                "\n",
                ".*/rest/api/2/issue/JRA.*",
                "[post].*/rest/api/2/issue/KANBAN-100/comment.*",
                ".*/rest/extender/1.0/filter/user/.*[QueryParam::permissions==true]",
                ".*rest/extender/1.0/worklog/user/.*[QueryParam::dateFrom==2018-01-01][QueryParam::dateTo==2018-12-01]",
                ".*/rest/api/2/filter[JsonData::editable==false][JsonData::favourite==false]"));
        assertThat(limits.rules()).hasSize(5);
        Decision kanban = limits.evaluate(Request.post("/rest/api/2/issue/KANBAN-100/comment"));
        assertThat(kanban.allowed()).isTrue();
        assertThat(kanban.rule()).get().extracting(Rule::number).isEqualTo(2);
        Decision denied = limits.evaluate(Request.get("/rest/api/2/issue/KANBAN-100/comment"));
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.failures()).hasSize(5);
    }
}
