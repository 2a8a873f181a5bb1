package io.tokengate.core.limits;

import io.tokengate.core.DidYouMean;
import io.tokengate.core.Unseen;
import io.tokengate.core.request.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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

    private static final String QUERY_PARAM = "QueryParam";
    private static final String JSON_DATA = "JsonData";
    private static final List<String> CONDITION_KINDS = List.of(QUERY_PARAM, JSON_DATA);

    private final String line;
    private final int lineNumber;

    private LimitsParser(String line, int lineNumber) {
        this.line = line;
        this.lineNumber = lineNumber;
    }

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
                new LimitsParser(line, i + 1).parseLine(rules.size() + 1).ifPresent(rules::add);
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

    private Optional<Rule> parseLine(int ruleNumber) {
        int start = 0;
        int end = line.length();
        while (start < end && Character.isWhitespace(line.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(line.charAt(end - 1))) {
            end--;
        }
        if (start == end || line.charAt(start) == '#') {
            return Optional.empty();
        }
        checkCharacters(start, end);
        return Optional.of(parseRule(ruleNumber, start, end));
    }

    /**
     * Refuses characters that change how the line reads without being seen ({@link Unseen}): a
     * right-to-left override can make a rule that allows everything look like a comment. A regex
     * that must match one names it with an escape such as {@code \x{202E}}.
     */
    private void checkCharacters(int start, int end) {
        int at = Unseen.indexIn(line, start, end, true);
        if (at >= 0) {
            int codePoint = line.codePointAt(at);
            throw new Problem(
                    at,
                    Unseen.describe(codePoint)
                            + (Character.isISOControl(codePoint)
                                    ? ""
                                    : String.format(
                                            ": it can make a rule read as something else; in a regex, write it as \\x{%X}",
                                            codePoint)));
        }
    }

    private Rule parseRule(int ruleNumber, int start, int end) {
        List<Condition> parts = new ArrayList<>();
        List<Condition> bodyParts = new ArrayList<>();
        int pos = start;
        if (line.charAt(pos) == '[') {
            int close = line.indexOf(']', pos);
            if (close > pos) {
                Set<String> methods = MethodList.read(line, pos + 1, close);
                if (methods != null) {
                    parts.add(new MethodCondition(methods));
                    pos = close + 1;
                }
            }
        }
        int conditionsStart = firstCondition(pos, end);
        int urlStart = skipWhitespace(pos, conditionsStart);
        int urlEnd = conditionsStart;
        while (urlEnd > urlStart && Character.isWhitespace(line.charAt(urlEnd - 1))) {
            urlEnd--;
        }
        if (urlStart == urlEnd) {
            throw new Problem(urlStart, "missing URL regex (for any URL write '.*')");
        }
        rejectUnknownConditions(urlStart, urlEnd);
        parts.add(new UrlCondition(regex(urlStart, urlEnd)));

        pos = conditionsStart;
        while (true) {
            pos = skipWhitespace(pos, end);
            if (pos >= end) {
                break;
            }
            if (line.charAt(pos) != '[') {
                throw new Problem(
                        pos,
                        "unexpected '" + excerpt(pos, end)
                                + "' after a condition (expected [QueryParam::NAME==REGEX] or [JsonData::PATH==REGEX])");
            }
            pos = parseCondition(pos, end, parts, bodyParts);
        }
        parts.addAll(bodyParts);
        return new Rule(ruleNumber, lineNumber, parts);
    }

    /** Parses the condition opening at {@code open}; returns the position after its closing bracket. */
    private int parseCondition(int open, int end, List<Condition> parts, List<Condition> bodyParts) {
        int separator = line.indexOf("::", open);
        String kind = separator < 0 ? "" : line.substring(open + 1, separator);
        if (separator < 0 || separator > end || !kind.chars().allMatch(Character::isLetter) || kind.isEmpty()) {
            throw new Problem(open, "expected [QueryParam::NAME==REGEX] or [JsonData::PATH==REGEX]");
        }
        String canonicalKind = canonicalKind(open + 1, kind);
        int nameStart = separator + 2;
        int equals = line.indexOf("==", nameStart);
        int bracket = line.indexOf(']', nameStart);
        if (equals < 0 || equals >= end || (bracket >= 0 && bracket < equals)) {
            throw new Problem(
                    nameStart,
                    "expected '==' after the " + (canonicalKind.equals(JSON_DATA) ? "path" : "name") + " in ["
                            + canonicalKind + "::…]");
        }
        String name = line.substring(nameStart, equals);
        if (name.isEmpty()) {
            throw new Problem(
                    nameStart,
                    "empty " + (canonicalKind.equals(JSON_DATA) ? "JSON path" : "parameter name") + " in ["
                            + canonicalKind + "::…]");
        }
        int regexStart = equals + 2;
        int close = closingBracket(regexStart, end);
        if (close < 0) {
            throw new Problem(
                    open,
                    "missing ']' to close [" + canonicalKind
                            + "::…] (inside the regex, brackets must balance; write a lone ']' as '\\]')");
        }
        Regex regex = regex(regexStart, close);
        if (canonicalKind.equals(QUERY_PARAM)) {
            parts.add(new QueryParamCondition(name, regex));
        } else {
            bodyParts.add(new JsonDataCondition(jsonPath(nameStart, name), regex));
        }
        return close + 1;
    }

    private String canonicalKind(int at, String kind) {
        for (String known : CONDITION_KINDS) {
            if (known.equalsIgnoreCase(kind)) {
                return known;
            }
        }
        String suggestion = DidYouMean.closest(kind, CONDITION_KINDS)
                .map(s -> "did you mean " + s + "?")
                .orElse("expected QueryParam or JsonData");
        throw new Problem(at, "unknown condition '" + kind + "' (" + suggestion + ")");
    }

    private JsonPath jsonPath(int at, String source) {
        try {
            return JsonPath.parse(source);
        } catch (IllegalArgumentException e) {
            throw new Problem(at, e.getMessage());
        }
    }

    /** Index of the first {@code [QueryParam::} or {@code [JsonData::} at or after {@code from}, else {@code end}. */
    private int firstCondition(int from, int end) {
        for (int i = from; i < end; i++) {
            if (line.charAt(i) == '['
                    && (startsWithIgnoreCase(i + 1, QUERY_PARAM + "::")
                            || startsWithIgnoreCase(i + 1, JSON_DATA + "::"))) {
                return i;
            }
        }
        return end;
    }

    private boolean startsWithIgnoreCase(int at, String prefix) {
        return line.regionMatches(true, at, prefix, 0, prefix.length());
    }

    /**
     * A {@code [Word::} in the URL regex is a misspelt condition, not a character class: say so
     * rather than let it silently become part of the regex.
     */
    private void rejectUnknownConditions(int from, int to) {
        for (int i = from; i < to; i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                int j = i + 1;
                while (j < to && Character.isLetter(line.charAt(j))) {
                    j++;
                }
                if (j > i + 1 && line.startsWith("::", j)) {
                    canonicalKind(i + 1, line.substring(i + 1, j));
                }
            }
        }
    }

    /** The closing bracket of a condition whose regex starts at {@code from}: brackets balance, '\' escapes. */
    private int closingBracket(int from, int end) {
        int depth = 0;
        for (int i = from; i < end; i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                depth++;
            } else if (c == ']') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            }
        }
        return -1;
    }

    private Regex regex(int from, int to) {
        try {
            return Regex.compile(line.substring(from, to));
        } catch (RegexSyntaxException e) {
            throw new Problem(from + e.offset(), e.getMessage());
        }
    }

    private int skipWhitespace(int from, int end) {
        int i = from;
        while (i < end && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        return i;
    }

    private String excerpt(int from, int end) {
        return line.substring(from, Math.min(end, from + 20)) + (end - from > 20 ? "…" : "");
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
