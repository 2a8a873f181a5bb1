package io.tokengate.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PercentTest {
    @Test
    void segmentsAreDecodedOneByOneSoAnEncodedSlashStaysInItsSegment() {
        assertThat(Percent.segments("/rest/api/2/issue/a%2Fb%20c"))
                .containsExactly("rest", "api", "2", "issue", "a/b c");
        assertThat(Percent.segments("/")).containsExactly("");
        assertThat(Percent.segments("/a//b/")).containsExactly("a", "", "b", "");
    }

    @Test
    void plusIsLiteralInPathsAndASpaceInQueries() {
        assertThat(Percent.segments("/a+b")).containsExactly("a+b");
        assertThat(Percent.query("jql=project+%3D+JRA")).isEqualTo(Map.of("jql", List.of("project = JRA")));
    }

    @Test
    void queryKeepsRepeatedValuesInOrderAndSkipsEmptyPairs() {
        Map<String, List<String>> query = Percent.query("x=1&&x=2&flag&y=");

        assertThat(query).containsOnlyKeys("x", "flag", "y");
        assertThat(query.get("x")).containsExactly("1", "2");
        assertThat(query.get("flag")).containsExactly("");
        assertThat(query.get("y")).containsExactly("");
        assertThat(Percent.query(null)).isEmpty();
    }

    @Test
    void decodesUtf8() {
        assertThat(Percent.decode("%C3%A9t%C3%A9", false)).isEqualTo("été");
        assertThat(Percent.decode("żółw", false)).isEqualTo("żółw");
    }

    @Test
    void keepsWhatItCannotDecodeAsServletContainersDo() {
        assertThat(Percent.decode("a%zz", false)).isEqualTo("a%zz");
        assertThat(Percent.decode("a%2", false)).isEqualTo("a%2");
        assertThat(Percent.decode("100%", true)).isEqualTo("100%");
        assertThat(Percent.decode("%FFok", false)).isEqualTo("\uFFFDok");
        assertThat(Percent.decode("%41%zz%42", false)).isEqualTo("A%zzB");
    }
}
