package io.tokengate.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterTest {
    private final List<String> called = new ArrayList<>();

    private Router router() {
        return new Router()
                .add("GET", "rest/api/2/issue/*", e -> called.add("issue"))
                .add("POST", "rest/api/2/issue/*/comment", e -> called.add("comment"))
                .add("*", "rest/api/2/echo/**", e -> called.add("echo"));
    }

    @Test
    void starMatchesOneSegmentAndDoubleStarTheRest() {
        assertThat(router().route("GET", List.of("rest", "api", "2", "issue", "AAA-1")))
                .hasValueSatisfying(r -> assertThat(r.method()).isEqualTo("GET"));
        assertThat(router().route("GET", List.of("rest", "api", "2", "issue"))).isEmpty();
        assertThat(router().route("GET", List.of("rest", "api", "2", "issue", "A", "B")))
                .isEmpty();
        assertThat(router().route("DELETE", List.of("rest", "api", "2", "echo")))
                .isPresent();
        assertThat(router().route("PATCH", List.of("rest", "api", "2", "echo", "a", "b", "c")))
                .isPresent();
    }

    @Test
    void allowedMethodsAreThoseOfMatchingPaths() {
        assertThat(router().allowed(List.of("rest", "api", "2", "issue", "AAA-1", "comment")))
                .containsExactly("POST");
        assertThat(router().allowed(List.of("rest", "nothing"))).isEmpty();
    }
}
