package io.tokengate.core.limits;

import io.tokengate.core.DidYouMean;
import io.tokengate.core.Unseen;
import io.tokengate.core.request.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The rule builders of the limits grammar ({@link LimitsParser}): one line of limits becomes a
 * {@link Rule} of its method list, URL regex and conditions, or a {@link LimitsParser.Problem} at
 * the index of the first thing wrong with it.
 */
final class RuleParser {
    private static final String QUERY_PARAM = "QueryParam";
    private static final String JSON_DATA = "JsonData";
    private static final List<String> CONDITION_KINDS = List.of(QUERY_PARAM, JSON_DATA);

    private final String line;
    private final int lineNumber;
    private final LineScanner scan;

    RuleParser(String line, int lineNumber) {
        this.line = line;
        this.lineNumber = lineNumber;
        this.scan = new LineScanner(line);
    }

    /** The rule on the line, numbered {@code ruleNumber}; empty for a blank or comment line. */
    Optional<Rule> parseLine(int ruleNumber) {
        int start = scan.skipWhitespace(0, line.length());
        int end = scan.trimWhitespace(start, line.length());
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
            throw new LimitsParser.Problem(
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
        int urlStart = scan.skipWhitespace(pos, conditionsStart);
        int urlEnd = scan.trimWhitespace(urlStart, conditionsStart);
        if (urlStart == urlEnd) {
            throw new LimitsParser.Problem(urlStart, "missing URL regex (for any URL write '.*')");
        }
        rejectUnknownConditions(urlStart, urlEnd);
        parts.add(new UrlCondition(regex(urlStart, urlEnd)));

        pos = conditionsStart;
        while (true) {
            pos = scan.skipWhitespace(pos, end);
            if (pos >= end) {
                break;
            }
            if (line.charAt(pos) != '[') {
                throw new LimitsParser.Problem(
                        pos,
                        "unexpected '" + scan.excerpt(pos, end)
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
            throw new LimitsParser.Problem(open, "expected [QueryParam::NAME==REGEX] or [JsonData::PATH==REGEX]");
        }
        String canonicalKind = canonicalKind(open + 1, kind);
        int nameStart = separator + 2;
        int equals = line.indexOf("==", nameStart);
        int bracket = line.indexOf(']', nameStart);
        if (equals < 0 || equals >= end || (bracket >= 0 && bracket < equals)) {
            throw new LimitsParser.Problem(
                    nameStart,
                    "expected '==' after the " + (canonicalKind.equals(JSON_DATA) ? "path" : "name") + " in ["
                            + canonicalKind + "::…]");
        }
        String name = line.substring(nameStart, equals);
        if (name.isEmpty()) {
            throw new LimitsParser.Problem(
                    nameStart,
                    "empty " + (canonicalKind.equals(JSON_DATA) ? "JSON path" : "parameter name") + " in ["
                            + canonicalKind + "::…]");
        }
        int regexStart = equals + 2;
        int close = scan.closingBracket(regexStart, end);
        if (close < 0) {
            throw new LimitsParser.Problem(
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
        throw new LimitsParser.Problem(at, "unknown condition '" + kind + "' (" + suggestion + ")");
    }

    private JsonPath jsonPath(int at, String source) {
        try {
            return JsonPath.parse(source);
        } catch (IllegalArgumentException e) {
            throw new LimitsParser.Problem(at, e.getMessage());
        }
    }

    /** Index of the first {@code [QueryParam::} or {@code [JsonData::} at or after {@code from}, else {@code end}. */
    private int firstCondition(int from, int end) {
        for (int i = from; i < end; i++) {
            if (line.charAt(i) == '['
                    && (scan.startsWithIgnoreCase(i + 1, QUERY_PARAM + "::")
                            || scan.startsWithIgnoreCase(i + 1, JSON_DATA + "::"))) {
                return i;
            }
        }
        return end;
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

    private Regex regex(int from, int to) {
        try {
            return Regex.compile(line.substring(from, to));
        } catch (RegexSyntaxException e) {
            throw new LimitsParser.Problem(from + e.offset(), e.getMessage());
        }
    }
}
