package io.tokengate.server.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DistinctKeysTest {
    @Test
    void aKeySeenBeforeIsARepeat() {
        DistinctKeys keys = new DistinctKeys();
        assertThat(keys.add("summary")).isTrue();
        assertThat(keys.add("description")).isTrue();
        assertThat(keys.add("summary")).isFalse();
        assertThat(keys.add("description")).isFalse();
    }

    @Test
    void theFirstKeyIsRememberedAsTheTableIsMade() {
        DistinctKeys keys = new DistinctKeys();
        assertThat(keys.add("key")).isTrue();
        assertThat(keys.add("key")).isFalse();
        assertThat(keys.add("other")).isTrue();
        assertThat(keys.add("key")).isFalse();
    }

    @Test
    void keysThatDifferOnlyALittleAreDifferent() {
        DistinctKeys keys = new DistinctKeys();
        for (String key :
                List.of("", "\u0000", "\u0000\u0000", "a", "\u0000a", "a\u0000", "ab", "ba", "A", "é", "e\u0301")) {
            assertThat(keys.add(key)).as("'%s'", key).isTrue();
        }
    }

    @Test
    void keysThatDifferOnlyAcrossAGroupOfThreeCharactersAreDifferent() {
        DistinctKeys keys = new DistinctKeys();
        for (String key : List.of(
                "abc",
                "abcd",
                "abc\u0000",
                "ab\u0000c",
                "\u0000abc",
                "abcabc",
                "abcab",
                "abcab\u0000",
                "\uffff\uffff\uffff",
                "\uffff\uffff\uffff\uffff",
                "\ufffe\uffff\uffff",
                "\uffff\uffff\ufffe")) {
            assertThat(keys.add(key)).as("'%s'", key).isTrue();
        }
    }

    @Test
    void aHundredThousandKeysGrowTheTableAndStayDistinct() {
        DistinctKeys keys = new DistinctKeys();
        for (int i = 0; i < 100_000; i++) {
            assertThat(keys.add("k" + i)).isTrue();
        }
        for (int i = 0; i < 100_000; i += 997) {
            assertThat(keys.add("k" + i)).isFalse();
        }
    }

    @Test
    void aHashIsNeverZeroTheMarkOfAFreeSlot() {
        for (String key : List.of("", "\u0000", "x", "\uffff\uffff\uffff")) {
            assertThat(DistinctKeys.hash(key)).isPositive();
        }
    }
}
