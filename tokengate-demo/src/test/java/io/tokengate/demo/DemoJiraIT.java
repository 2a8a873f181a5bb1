package io.tokengate.demo;

import static io.tokengate.demo.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Jira-shaped endpoints over real HTTP, with the default identity header. */
class DemoJiraIT {
    private static final String USER = Identity.DEFAULT_HEADER;
    private static final Instant NOW = Instant.parse("2024-05-06T07:08:09.123Z");

    private DemoJira jira;
    private Http http;

    @BeforeEach
    void start() {
        jira = DemoJira.start(DemoJira.Options.defaults().clock(Clock.fixed(NOW, ZoneOffset.UTC)));
        http = new Http(jira.baseUri());
    }

    @AfterEach
    void stop() {
        jira.close();
    }

    @Test
    void baseUriIsLoopbackWithTheBoundPortAndNoTrailingSlash() {
        assertThat(jira.baseUri().toString()).matches("http://127\\.0\\.0\\.1:[1-9][0-9]*");
    }

    @Test
    void seedGetIssueAaa1AsAdmin() {
        HttpResponse<String> response = http.get("/rest/api/2/issue/AAA-1", USER, "admin");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json;charset=UTF-8");
        JsonNode issue = json(response);
        assertThat(issue.path("key").asText()).isEqualTo("AAA-1");
        assertThat(issue.path("id").asText()).isEqualTo("10100");
        assertThat(issue.path("self").asText()).isEqualTo(jira.baseUri() + "/rest/api/2/issue/10100");
        JsonNode fields = issue.path("fields");
        assertThat(fields.path("summary").asText()).isEqualTo("Login page rejects valid passwords");
        assertThat(fields.path("description").asText()).isNotBlank();
        assertThat(fields.path("status").path("name").asText()).isEqualTo("Open");
        assertThat(fields.path("issuetype").path("name").asText()).isEqualTo("Bug");
        assertThat(fields.path("project").path("key").asText()).isEqualTo("AAA");
        assertThat(fields.path("project").path("name").asText()).isEqualTo("Alpha Apps");
        assertThat(fields.path("reporter").path("name").asText()).isEqualTo("admin");
        assertThat(fields.path("assignee").path("emailAddress").asText()).isEqualTo("alice@example.com");
        assertThat(fields.path("comment").path("total").asInt()).isZero();
        assertThat(fields.path("comment").path("comments").isArray()).isTrue();
    }

    @Test
    void everySeededIssueNamedByTheSeedPageExists() {
        for (String key : List.of("AAA-1", "ISSUE-1", "KANBAN-100", "JRA-1", "JRA-2", "JRA-10", "ABC-1")) {
            HttpResponse<String> response = http.get("/rest/api/2/issue/" + key, USER, "alice");
            assertThat(response.statusCode()).as(key).isEqualTo(200);
            assertThat(json(response).path("key").asText()).isEqualTo(key);
        }
    }

    @Test
    void unknownIssueIsJiraShaped404() {
        HttpResponse<String> response = http.get("/rest/api/2/issue/NOPE-1", USER, "admin");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body())
                .isEqualTo("{\"errorMessages\":[\"Issue does not exist or you do not have permission to see it.\"],"
                        + "\"errors\":{}}");
    }

    @Test
    void seedPostCommentOnIssue1IsAuthoredByTheEffectiveUserAndStored() {
        HttpResponse<String> created = http.post(
                "/rest/api/2/issue/ISSUE-1/comment",
                "{\"body\":\"Comment text\"}",
                USER,
                "admin",
                "Content-Type",
                "application/json");

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode comment = json(created);
        assertThat(comment.path("body").asText()).isEqualTo("Comment text");
        assertThat(comment.path("author").path("name").asText()).isEqualTo("admin");
        assertThat(comment.path("author").path("emailAddress").asText()).isEqualTo("admin@example.com");
        assertThat(comment.path("created").asText()).isEqualTo("2024-05-06T07:08:09.123+0000");
        String id = comment.path("id").asText();
        assertThat(comment.path("self").asText()).isEqualTo(jira.baseUri() + "/rest/api/2/issue/ISSUE-1/comment/" + id);

        JsonNode issue = json(http.get("/rest/api/2/issue/ISSUE-1", USER, "bob"));
        JsonNode comments = issue.path("fields").path("comment");
        assertThat(comments.path("total").asInt()).isEqualTo(1);
        assertThat(comments.path("comments").get(0).path("id").asText()).isEqualTo(id);
        assertThat(comments.path("comments").get(0).path("author").path("name").asText())
                .isEqualTo("admin");
    }

    @Test
    void commentWithoutAJsonBodyIs400() {
        assertThat(http.post("/rest/api/2/issue/ISSUE-1/comment", "Comment text", USER, "admin")
                        .statusCode())
                .isEqualTo(400);
        HttpResponse<String> noBody = http.post("/rest/api/2/issue/ISSUE-1/comment", "{\"text\":\"x\"}", USER, "admin");
        assertThat(noBody.statusCode()).isEqualTo(400);
        assertThat(json(noBody).path("errors").path("comment").asText()).isNotBlank();
        assertThat(http.post("/rest/api/2/issue/ISSUE-1/comment", "{\"body\":\"  \"}", USER, "admin")
                        .statusCode())
                .isEqualTo(400);
        assertThat(json(http.get("/rest/api/2/issue/ISSUE-1", USER, "admin"))
                        .path("fields")
                        .path("comment")
                        .path("total")
                        .asInt())
                .isZero();
    }

    @Test
    void commentOnUnknownIssueIs404() {
        assertThat(http.post("/rest/api/2/issue/NOPE-9/comment", "{\"body\":\"x\"}", USER, "admin")
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void seedCreateFilterIsOwnedByTheEffectiveUserAndListedByExtender() {
        String seedJson = "{\n"
                + "    \"name\": \"All Open Bugs\",\n"
                + "    \"description\": \"Lists all open bugs\",\n"
                + "    \"jql\": \"type = Bug and resolution is empty\",\n"
                + "    \"favourite\": true,\n"
                + "    \"editable\": false\n"
                + "}";
        HttpResponse<String> response =
                http.post("/rest/api/2/filter", seedJson, USER, "bob", "Content-Type", "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode filter = json(response);
        String id = filter.path("id").asText();
        assertThat(id).isNotBlank();
        assertThat(filter.path("self").asText()).isEqualTo(jira.baseUri() + "/rest/api/2/filter/" + id);
        assertThat(filter.path("name").asText()).isEqualTo("All Open Bugs");
        assertThat(filter.path("description").asText()).isEqualTo("Lists all open bugs");
        assertThat(filter.path("jql").asText()).isEqualTo("type = Bug and resolution is empty");
        assertThat(filter.path("favourite").asBoolean()).isTrue();
        assertThat(filter.path("editable").isBoolean()).isTrue();
        assertThat(filter.path("editable").asBoolean()).isFalse();
        assertThat(filter.path("owner").path("name").asText()).isEqualTo("bob");

        JsonNode plain = json(http.get("/rest/extender/1.0/filter/user/bob?permissions=false", USER, "admin"));
        assertThat(plain).hasSize(1);
        assertThat(plain.get(0).path("id").asText()).isEqualTo(id);
        assertThat(plain.get(0).has("sharePermissions")).isFalse();
        JsonNode detailed = json(http.get("/rest/extender/1.0/filter/user/bob?permissions=true", USER, "admin"));
        assertThat(detailed.get(0).path("sharePermissions").isArray()).isTrue();
        assertThat(detailed.get(0).path("editPermissions").isArray()).isTrue();
    }

    @Test
    void filterWithoutNameOrWithNonBooleanFlagsIs400() {
        HttpResponse<String> noName = http.post("/rest/api/2/filter", "{\"jql\":\"project = JRA\"}", USER, "bob");
        assertThat(noName.statusCode()).isEqualTo(400);
        assertThat(json(noName).path("errors").path("filterName").asText()).isNotBlank();
        assertThat(http.post("/rest/api/2/filter", "{\"name\":\"x\",\"editable\":\"false\"}", USER, "bob")
                        .statusCode())
                .isEqualTo(400);
        assertThat(http.post("/rest/api/2/filter", "[]", USER, "bob").statusCode())
                .isEqualTo(400);
        assertThat(json(http.get("/rest/extender/1.0/filter/user/bob", USER, "bob")))
                .isEmpty();
    }

    @Test
    void extenderListsOnlyThatUsersSeededFilters() {
        JsonNode filters = json(http.get("/rest/extender/1.0/filter/user/alice?permissions=true", USER, "admin"));
        assertThat(names(filters, "name")).containsExactly("JRA bugs");
        assertThat(filters.get(0).path("owner").path("name").asText()).isEqualTo("alice");
        assertThat(json(http.get("/rest/extender/1.0/filter/user/nobody", USER, "admin")))
                .isEmpty();
    }

    @Test
    void issueTypesAreAnArray() {
        HttpResponse<String> response = http.get("/rest/api/2/issuetype", USER, "alice");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(names(json(response), "name")).contains("Bug", "Task", "Story", "Epic", "Sub-task");
        assertThat(json(response).get(0).path("self").asText()).startsWith(jira.baseUri() + "/rest/api/2/issuetype/");
    }

    @Test
    void myselfDescribesTheEffectiveUser() {
        JsonNode ansible = json(http.get("/rest/api/2/myself", USER, "ansible@ansible.jira.pl"));

        assertThat(ansible.path("name").asText()).isEqualTo("ansible");
        assertThat(ansible.path("key").asText()).isEqualTo("ansible");
        assertThat(ansible.path("emailAddress").asText()).isEqualTo("ansible@ansible.jira.pl");
        assertThat(ansible.path("displayName").asText()).isEqualTo("Ansible Automation");
        assertThat(ansible.path("active").asBoolean()).isTrue();

        assertThat(ansible.has("groups")).as("only when expanded").isFalse();

        JsonNode stranger = json(http.get("/rest/api/2/myself", USER, "carol"));
        assertThat(stranger.path("name").asText()).isEqualTo("carol");
        assertThat(stranger.path("emailAddress").asText()).isEqualTo("carol@example.com");
    }

    @Test
    void myselfListsTheGroupsWhenExpanded() {
        JsonNode groups = json(http.get("/rest/api/2/myself?expand=groups", USER, "ansible"))
                .path("groups");
        assertThat(groups.path("size").asInt()).isEqualTo(2);
        assertThat(groups.path("items").findValuesAsText("name")).containsExactly("automation", "jira-users");
        assertThat(groups.path("items").get(0).path("self").asText())
                .isEqualTo(jira.baseUri() + "/rest/api/2/group?groupname=automation");
    }

    @Test
    void myPermissionsSaysWhoAdministers() {
        String path = "/rest/api/2/mypermissions?permissions=ADMINISTER";
        JsonNode admin = json(http.get(path, USER, "admin")).path("permissions").path("ADMINISTER");
        assertThat(admin.path("key").asText()).isEqualTo("ADMINISTER");
        assertThat(admin.path("havePermission").asBoolean()).isTrue();
        JsonNode alice = json(http.get(path, USER, "alice")).path("permissions").path("ADMINISTER");
        assertThat(alice.path("havePermission").isBoolean()).isTrue();
        assertThat(alice.path("havePermission").asBoolean()).isFalse();

        JsonNode browse = json(http.get(
                        "/rest/api/2/mypermissions?permissions=BROWSE_PROJECTS,ADMINISTER", USER, "bob"))
                .path("permissions");
        assertThat(browse.path("BROWSE_PROJECTS").path("havePermission").asBoolean())
                .isTrue();
        assertThat(browse.path("ADMINISTER").path("havePermission").asBoolean()).isFalse();
        assertThat(http.get("/rest/api/2/mypermissions?permissions=FLY", USER, "bob")
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void searchFiltersByProjectAndPages() {
        JsonNode jra = json(http.get("/rest/api/2/search?jql=project%20%3D%20JRA", USER, "alice"));
        assertThat(jra.path("total").asInt()).isEqualTo(3);
        assertThat(jra.path("startAt").asInt()).isZero();
        assertThat(names(jra.path("issues"), "key")).containsExactly("JRA-1", "JRA-2", "JRA-10");

        JsonNode page = json(http.get("/rest/api/2/search?jql=project+%3D+jra&startAt=1&maxResults=1", USER, "alice"));
        assertThat(page.path("total").asInt()).isEqualTo(3);
        assertThat(page.path("maxResults").asInt()).isEqualTo(1);
        assertThat(names(page.path("issues"), "key")).containsExactly("JRA-2");

        JsonNode all = json(http.get("/rest/api/2/search?jql=assignee%3Dalice", USER, "alice"));
        assertThat(all.path("total").asInt()).isEqualTo(9);
        assertThat(http.get("/rest/api/2/search?startAt=x", USER, "alice").statusCode())
                .isEqualTo(400);
    }

    @Test
    void worklogsOfAUserInTheSeedsDateRangeIncludeBothEnds() {
        JsonNode worklogs = json(
                http.get("/rest/extender/1.0/worklog/user/alice?dateFrom=2018-01-01&dateTo=2018-12-01", USER, "admin"));

        assertThat(names(worklogs, "id")).containsExactly("30001", "30002", "30003");
        assertThat(worklogs.get(0).path("author").path("name").asText()).isEqualTo("alice");
        assertThat(worklogs.get(0).path("started").asText()).isEqualTo("2018-01-01T09:00:00.000+0000");
        assertThat(worklogs.get(0).path("timeSpentSeconds").asLong()).isEqualTo(7200);
        assertThat(json(http.get("/rest/extender/1.0/worklog/user/alice", USER, "admin")))
                .hasSize(5);
        assertThat(http.get("/rest/extender/1.0/worklog/user/alice?dateFrom=2018-13-01", USER, "admin")
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void unknownPathsAre404AndWrongMethodsAre405() {
        HttpResponse<String> unknownRest = http.get("/rest/api/2/nothing", USER, "admin");
        assertThat(unknownRest.statusCode()).isEqualTo(404);
        assertThat(json(unknownRest).path("errorMessages").isArray()).isTrue();
        assertThat(http.get("/secure/Dashboard.jspa", USER, "admin").statusCode())
                .isEqualTo(404);
        assertThat(http.get("/", USER, "admin").statusCode()).isEqualTo(404);
        assertThat(http.get("/restx/api/2/myself", USER, "admin").statusCode()).isEqualTo(404);

        HttpResponse<String> wrongMethod = http.post("/rest/api/2/issue/AAA-1", "{}", USER, "admin");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void faultEndpointsAreAbsentByDefault() {
        assertThat(http.get("/rest/demo/1.0/status/503", USER, "admin").statusCode())
                .isEqualTo(404);
        assertThat(http.get("/rest/demo/1.0/reset", USER, "admin").statusCode()).isEqualTo(404);
    }

    @Test
    void contextPathPrefixesEveryEndpoint() {
        try (DemoJira underJira = DemoJira.start(DemoJira.Options.defaults().contextPath("/jira"))) {
            assertThat(underJira.baseUri().getPath()).isEqualTo("/jira");
            Http jiraHttp = new Http(underJira.baseUri());

            HttpResponse<String> issue = jiraHttp.get("/rest/api/2/issue/AAA-1", USER, "admin");
            assertThat(issue.statusCode()).isEqualTo(200);
            assertThat(json(issue).path("self").asText()).isEqualTo(underJira.baseUri() + "/rest/api/2/issue/10100");

            Http root =
                    new Http(java.net.URI.create(underJira.baseUri().toString().replace("/jira", "")));
            assertThat(root.get("/rest/api/2/issue/AAA-1", USER, "admin").statusCode())
                    .isEqualTo(404);
            assertThat(root.get("/jirax/rest/api/2/issue/AAA-1", USER, "admin").statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void aTakenPortFailsTheStartNamingThePort() {
        int port = jira.baseUri().getPort();

        assertThatThrownBy(() -> DemoJira.start(DemoJira.Options.defaults().port(port)))
                .isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining("127.0.0.1:" + port);
    }

    private static List<String> names(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.path(field).asText()));
        return values;
    }
}
