package io.tokengate.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnseenTest {

    @ParameterizedTest
    @ValueSource(
            ints = {
                0x00,
                0x1B,
                0x7F,
                0x85, // controls
                0x200B,
                0x200E,
                0x200F,
                0x202A,
                0x202E,
                0x2066,
                0x2069,
                0xFEFF,
                0xAD, // format
                0x2028,
                0x2029, // line and paragraph separators
                0xE0001, // a format character beyond the BMP (LANGUAGE TAG)
                0xFE0F,
                0x034F,
                0x3164,
                0x115F,
                0xFFA0,
                0x180B,
                0xE0100 // default-ignorable, not format
            })
    void charactersThatChangeHowTextReadsAreFound(int codePoint) {
        String text = "ad" + Character.toString(codePoint) + "min";
        assertThat(Unseen.find(text)).isPresent();
        assertThat(Unseen.indexIn(text, 0, text.length(), true)).isEqualTo(2);
    }

    @Test
    void lettersOfAnyScriptAndOrdinarySpaceAreNot() {
        assertThat(Unseen.find("łukasz Jürgen Ærøskøbing مرحبا 東京 😀 a b")).isEmpty();
    }

    @Test
    void aTabIsOneOnlyWhereItIsNotAllowed() {
        assertThat(Unseen.indexIn("a\tb", 0, 3, true)).isEqualTo(-1);
        assertThat(Unseen.find("a\tb")).contains("the control character U+0009");
    }

    @Test
    void isNamedWithItsNumberAndUnicodeName() {
        assertThat(Unseen.describe(0x202E)).isEqualTo("the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE)");
        assertThat(Unseen.describe(0x1B)).isEqualTo("the control character U+001B");
    }
}
