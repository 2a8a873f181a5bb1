package io.tokengate.core.limits;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses limits, the restriction language of tokens.
 *
 * <pre>
 * limits     = { line }                      one rule per line; a request needs any rule to match
 * line       = blank | comment | rule
 * comment    = "#" text                      (after optional leading white space)
 * rule       = [ methods ] url-regex { condition }     all parts must hold
 * methods    = "[" method { ( "," | "|" ) method } "]"
 *                                            GET HEAD POST PUT PATCH DELETE OPTIONS TRACE, any case
 * url-regex  = text up to the first "[QueryParam::" or "[JsonData::" (case-insensitive)
 * condition  = "[QueryParam::" name "==" regex "]"   | "[JsonData::" path "==" regex "]"
 * </pre>
 *
 * <ul>
 *   <li>A leading bracket whose content is not a list of method names belongs to the URL regex,
 *       unless it reads like a misspelt or placeholder method list: words of letters with one
 *       unknown, a single word of three letters or more ({@code [method]}), or method names
 *       separated by spaces. Those are problems; a URL regex that starts with such a character
 *       class is written in a group ({@code ([method])}).
 *   <li>The URL regex must match the whole of {@code PUBLIC_URL + canonical path}, without the
 *       query string (start it with {@code .*} to ignore the host).
 *   <li>{@code [QueryParam::NAME==REGEX]}: NAME occurs at least once and each of its decoded
 *       values matches REGEX.
 *   <li>{@code [JsonData::PATH==REGEX]}: the body is JSON without duplicate keys and the node at
 *       PATH (field name, dotted path, or JSON Pointer) matches REGEX.
 *   <li>Regexes are RE2 syntax, matched in full, case-sensitive unless {@code (?i)}. A condition's
 *       REGEX may contain balanced {@code [...]}; a lone {@code ]} is written {@code \]}.
 * </ul>
 *
 * <p>Limits that do not parse are rejected as a whole with every problem located by line and
 * column; a token never holds limits that do not parse.
 */
public final class LimitsParser {
    /** Longest limits text accepted, in characters. */
    public static final int MAX_LENGTH = 256 * 1024;

    /** Most rules accepted in one limits text. */
    public static final int MAX_RULES = 5000;

    /**
     * Parses limits text; null or blank text gives {@link Limits#none()}.
     *
     * @throws LimitsSyntaxException naming line, column and reason of each problem
     */
    public static Limits parse(String text) {
        if (text == null || text.isBlank()) {
            return Limits.none();
        }
        if (text.length() > MAX_LENGTH) {
            throw new LimitsSyntaxException(List.of(new LimitsProblem(
                    1, 1, "limits are " + text.length() + " characters long (at most " + MAX_LENGTH + ")")));
        }
        List<Rule> rules = new ArrayList<>();
        List<LimitsProblem> problems = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            try {
                new RuleParser(line, i + 1).parseLine(rules.size() + 1).ifPresent(rules::add);
            } catch (Problem p) {
                int column = line.codePointCount(0, Math.min(p.index, line.length())) + 1;
                problems.add(new LimitsProblem(i + 1, column, p.getMessage()));
            }
        }
        if (rules.size() > MAX_RULES) {
            problems.add(new LimitsProblem(
                    rules.get(MAX_RULES).line(), 1, "more than " + MAX_RULES + " rules (" + rules.size() + ")"));
        }
        if (!problems.isEmpty()) {
            throw new LimitsSyntaxException(problems);
        }
        return new Limits(rules);
    }

    /**
     * A problem on the line being parsed, at {@code index} (0-based, in chars); {@link #parse}
     * turns it into a 1-based column of code points.
     */
    static final class Problem extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int index;

        Problem(int index, String reason) {
            super(reason, null, false, false);
            this.index = index;
        }
    }
}
