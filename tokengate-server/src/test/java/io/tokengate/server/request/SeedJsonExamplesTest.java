package io.tokengate.server.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.limits.Decision;
import io.tokengate.core.limits.Limits;
import io.tokengate.core.limits.LimitsParser;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The seed page's JSON restriction examples, against real request bodies. */
class SeedJsonExamplesTest {
    private static final String URL = "https://gw.example.com/rest/api/2/filter";
    private static final String SEED_BODY =
            """
            {
                "name": "All Open Bugs",
                "description": "Lists all open bugs",
                "jql": "type = Bug and resolution is empty",
                "favourite": true,
                "editable": false
            }""";

    private static Decision decide(String limits, String body) {
        Limits parsed = LimitsParser.parse(limits);
        return parsed.evaluate(SampleRequest.of(
                "POST", URL, body == null ? null : body.getBytes(StandardCharsets.UTF_8), parsed.jsonPaths()));
    }

    @Test
    void uneditableFiltersOnly() {
        String limits = ".*/rest/api/2/filter[JsonData::editable==false]";
        assertThat(decide(limits, SEED_BODY).allowed()).isTrue();
        assertThat(decide(limits, SEED_BODY.replace("\"editable\": false", "\"editable\": true"))
                        .allowed())
                .isFalse();
        assertThat(decide(limits, SEED_BODY.replace("\"editable\": false", "\"editable\": \"false\""))
                        .allowed())
                .as("a string 'false' matches as its value, like the number or boolean text")
                .isTrue();
        assertThat(decide(limits, null).allowed()).isFalse();
        assertThat(decide(limits, "{\"name\":\"x\"}").allowed()).isFalse();
    }

    @Test
    void uneditableAndNotFavourite() {
        String limits = ".*/rest/api/2/filter[JsonData::editable==false][JsonData::favourite==false]";
        Decision seed = decide(limits, SEED_BODY);
        assertThat(seed.allowed())
                .as("the seed body adds the filter to favourites")
                .isFalse();
        assertThat(seed.failures().get(0).reason()).isEqualTo("JSON 'favourite': value 'true' does not match 'false'");
        assertThat(decide(limits, SEED_BODY.replace("\"favourite\": true", "\"favourite\": false"))
                        .allowed())
                .isTrue();
    }

    @Test
    void aDuplicateKeyCannotSmuggleASecondValuePastTheCheck() {
        String limits = ".*/rest/api/2/filter[JsonData::editable==false]";
        Decision decision = decide(limits, "{\"editable\":false,\"name\":\"x\",\"editable\":true}");
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.failures().get(0).reason())
                .isEqualTo("JSON 'editable': the body has a duplicate key 'editable'");
    }
}
