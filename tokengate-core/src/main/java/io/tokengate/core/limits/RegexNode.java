package io.tokengate.core.limits;

import java.util.List;

/**
 * The syntax tree of a regex in the subset that {@link RegexSubsetParser} reads. Captures,
 * greediness and anchors at the very ends are irrelevant to a full match and are not represented.
 */
sealed interface RegexNode {
    /** One input symbol out of {@code symbols}. */
    record Symbols(SymbolSet symbols) implements RegexNode {}

    /** Each part in turn; no parts matches the empty string. */
    record Concat(List<RegexNode> parts) implements RegexNode {}

    /** Any one of the alternatives (at least two). */
    record Alternation(List<RegexNode> alternatives) implements RegexNode {}

    /** {@code body} from {@code min} to {@code max} times; {@code max} is {@link #UNBOUNDED} for no limit. */
    record Repeat(RegexNode body, int min, int max) implements RegexNode {
        static final int UNBOUNDED = -1;
    }
}
