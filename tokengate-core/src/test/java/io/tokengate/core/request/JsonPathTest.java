package io.tokengate.core.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonPathTest {

    @Test
    void fieldNamesDottedPathsAndPointers() {
        assertThat(JsonPath.parse("editable").segments()).containsExactly("editable");
        assertThat(JsonPath.parse("fields.project.key").segments()).containsExactly("fields", "project", "key");
        assertThat(JsonPath.parse("/fields/project/key").segments()).containsExactly("fields", "project", "key");
        assertThat(JsonPath.parse("/a.b/c~1d/e~0f/~01").segments()).containsExactly("a.b", "c/d", "e~f", "~1");
        assertThat(JsonPath.parse("/").segments()).containsExactly("");
        assertThat(JsonPath.parse("//x").segments()).containsExactly("", "x");
        assertThat(JsonPath.parse("fields.labels.0")).hasToString("fields.labels.0");
    }

    @Test
    void arrayIndexesAreCanonicalNonNegativeIntegers() {
        assertThat(JsonPath.arrayIndex("0")).isZero();
        assertThat(JsonPath.arrayIndex("17")).isEqualTo(17);
        assertThat(JsonPath.arrayIndex("9")).isEqualTo(9);
        assertThat(JsonPath.arrayIndex("999999999")).as("nine digits").isEqualTo(999_999_999);
        assertThat(JsonPath.arrayIndex("1000000000")).as("ten digits").isEqualTo(-1);
        assertThat(JsonPath.arrayIndex("1:")).isEqualTo(-1);
        assertThat(JsonPath.arrayIndex("/")).isEqualTo(-1);
        assertThat(JsonPath.arrayIndex("007")).isEqualTo(-1);
        assertThat(JsonPath.arrayIndex("-1")).isEqualTo(-1);
        assertThat(JsonPath.arrayIndex("1e2")).isEqualTo(-1);
        assertThat(JsonPath.arrayIndex("")).isEqualTo(-1);
        assertThat(JsonPath.arrayIndex("99999999999")).isEqualTo(-1);
    }

    @Test
    void pathsAreEqualWhenWrittenAlike() {
        assertThat(JsonPath.parse("fields.key"))
                .isEqualTo(JsonPath.parse("fields.key"))
                .hasSameHashCodeAs(JsonPath.parse("fields.key"))
                .as("the same node, written otherwise, is another path as written")
                .isNotEqualTo(JsonPath.parse("/fields/key"))
                .isNotEqualTo("fields.key");
    }

    @Test
    void refusesPathsThatCannotAddressANode() {
        assertThatThrownBy(() -> JsonPath.parse("")).hasMessage("empty JSON path");
        assertThatThrownBy(() -> JsonPath.parse("a.")).hasMessageStartingWith("empty segment in JSON path 'a.'");
        assertThatThrownBy(() -> JsonPath.parse(".a")).hasMessageStartingWith("empty segment");
        assertThatThrownBy(() -> JsonPath.parse("/a~")).hasMessageStartingWith("invalid escape in JSON Pointer");
    }
}
