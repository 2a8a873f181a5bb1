package io.tokengate.core.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LimitsParserTest {

    private static LimitsSyntaxException error(String limits) {
        return (LimitsSyntaxException) assertThatThrownBy(() -> LimitsParser.parse(limits))
                .isInstanceOf(LimitsSyntaxException.class)
                .actual();
    }

    @Test
    void emptyOrBlankLimitsMeanNoRestriction() {
        assertThat(LimitsParser.parse(null).isUnrestricted()).isTrue();
        assertThat(LimitsParser.parse("").isUnrestricted()).isTrue();
        assertThat(LimitsParser.parse(" \n\t\n").isUnrestricted()).isTrue();
        assertThat(LimitsParser.parse("# only a comment\n   # another").isUnrestricted())
                .isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiterString = " => ",
            quoteCharacter = '"',
            value = {
                // input => canonical form
                ".*/rest/api/2/issue/JRA.* => .*/rest/api/2/issue/JRA.*",
                "[post].*/comment.* => [POST].*/comment.*",
                "\"[GET,post, Put].*\" => [GET|POST|PUT].*",
                "[delete|get].* => [GET|DELETE].*",
                "\"  [get]   .*/x   \" => [GET].*/x",
                ".*/f[queryparam::a==1][JSONDATA::b==2] => .*/f[QueryParam::a==1][JsonData::b==2]",
                ".*/f[JsonData::b==2][QueryParam::a==1] => .*/f[QueryParam::a==1][JsonData::b==2]",
                "\".*/f [QueryParam::a==1]  [QueryParam::b==x y]\" => .*/f[QueryParam::a==1][QueryParam::b==x y]",
                "[ab].* => [ab].*",
                "[GET][post].* => [GET][post].*",
                ".*/x[QueryParam::n==[a-z]+] => .*/x[QueryParam::n==[a-z]+]",
                ".*/x[QueryParam::n==[[:alpha:]]{2}] => .*/x[QueryParam::n==[[:alpha:]]{2}]",
                ".*/x[QueryParam::n==a\\]b] => .*/x[QueryParam::n==a\\]b]",
                ".*/x[QueryParam::n==a==b] => .*/x[QueryParam::n==a==b]",
                ".*/x[QueryParam::n==] => .*/x[QueryParam::n==]",
                ".*/x[JsonData::/a~1b/0==1] => .*/x[JsonData::/a~1b/0==1]",
                ".*/x[JsonData::fields.project.key==(?i)jra] => .*/x[JsonData::fields.project.key==(?i)jra]",
                ".*/a[::]b => .*/a[::]b",
                ".*/a[](?=)]b[^](?=)]c => .*/a[](?=)]b[^](?=)]c",
                ".*(a{1,50}){20} => .*(a{1,50}){20}",
                ".*([(]{10}){100} => .*([(]{10}){100}",
                ".*[ab(?=]x => .*[ab(?=]x",
            })
    void printsTheCanonicalForm(String input, String canonical) {
        Limits limits = LimitsParser.parse(input);
        assertThat(limits).hasToString(canonical);
        assertThat(LimitsParser.parse(canonical)).isEqualTo(limits).hasToString(canonical);
    }

    @Test
    void canonicalFormDropsCommentsAndBlankLinesButKeepsRuleOrder() {
        Limits limits = LimitsParser.parse("# tokens for the CI job\n\n.*/b\r\n  # x\n[get].*/a\n");
        assertThat(limits).hasToString(".*/b\n[GET].*/a");
        assertThat(limits.rules()).extracting(Rule::line).containsExactly(3, 5);
        assertThat(limits.rules()).extracting(Rule::number).containsExactly(1, 2);
    }

    @Test
    void aLeadingBracketOfMethodNamesIsAMethodListOtherwiseItIsPartOfTheRegex() {
        Rule methods = LimitsParser.parse("[GET|HEAD]https://.*").rules().get(0);
        assertThat(methods.parts().get(0)).isInstanceOf(MethodCondition.class);
        Rule regex = LimitsParser.parse("[h]ttps://.*").rules().get(0);
        assertThat(regex.parts()).singleElement().isInstanceOf(UrlCondition.class);
        assertThat(regex.parts().get(0)).hasToString("[h]ttps://.*");
    }

    @Test
    void reportsAnUnknownConditionWithLineAndColumn() {
        LimitsSyntaxException e = error(".*/a\n\n.*/rest/api/2/[QueryParam::a==1][Header::x==y]");
        assertThat(e.getMessage())
                .isEqualTo("line 3, column 34: unknown condition 'Header' (expected QueryParam or JsonData)");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(34);
    }

    @Test
    void aColumnCountsCharactersAsAnEditorShowsThemNotUtf16Units() {
        assertThat(error(".*/\uD83D\uDE00/[Header::x==y]").getMessage())
                .isEqualTo("line 1, column 7: unknown condition 'Header' (expected QueryParam or JsonData)");
    }

    @Test
    void aMisspeltConditionInsideTheUrlRegexIsReportedNotTakenAsACharacterClass() {
        LimitsSyntaxException e = error(".*/filter/user/.*[QueryParams::permissions==true]");
        assertThat(e.getMessage())
                .isEqualTo("line 1, column 19: unknown condition 'QueryParams' (did you mean QueryParam?)");
    }

    @Test
    void reportsAMisspeltMethodWithASuggestion() {
        assertThat(error("[pots].*/comment").getMessage())
                .isEqualTo("line 1, column 2: unknown HTTP method 'pots' (did you mean POST?)");
        assertThat(error("[GET|FETCH].*").getMessage())
                .startsWith("line 1, column 6: unknown HTTP method 'FETCH' (expected one of GET, HEAD, POST");
    }

    /**
     * The original product's template, copied as it stands, would be a character class that
     * matches the {@code h} of {@code http} and allows every method: refused, with the way out.
     */
    @Test
    void thePagesPlaceholderMethodIsRefusedNotTakenAsACharacterClass() {
        assertThat(error("[method].*/rest/api/.*[QueryParam::paramName==Regexp][JsonData::nodeName==Regexp]")
                        .getMessage())
                .isEqualTo("line 1, column 2: '[method]' is not an HTTP method: write the methods the token may use,"
                        + " as in [GET] or [GET|POST], or no bracket for any method (a URL regex that starts with"
                        + " a character class is written in a group: ([method]))");
        Rule grouped = LimitsParser.parse("([method]).*/rest/api/.*").rules().get(0);
        assertThat(grouped.parts()).singleElement().isInstanceOf(UrlCondition.class);
        assertThat(error("[any].*").getMessage()).contains("'[any]' is not an HTTP method");
        assertThat(LimitsParser.parse("[hH]ttps://.*").rules().get(0).parts())
                .as("a short class of letters is still a class")
                .singleElement()
                .isInstanceOf(UrlCondition.class);
    }

    @Test
    void methodsSeparatedBySpacesAreAskedForWithTheirSeparator() {
        assertThat(error("[GET POST] .*/rest/api/2/issue/.*").getMessage())
                .isEqualTo("line 1, column 6: HTTP methods are separated by ',' or '|', as in [GET|POST]");
        assertThat(LimitsParser.parse("[GET, POST] .*").rules().get(0).parts().get(0))
                .isInstanceOf(MethodCondition.class);
    }

    /**
     * A right-to-left override shows this rule, which allows every URL, as the comment {@code #
     * read-only JRA|*.?}: refused, so that what an administrator reads is what the token may do.
     */
    @Test
    void aRuleThatReadsAsSomethingElseIsRefused() {
        LimitsSyntaxException e = error("[get].*/rest/api/2/issue/JRA.*\n\u202e?.*|ARJ ylno-daer #");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(1);
        assertThat(e.reason())
                .isEqualTo("the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE): it can make a rule read as"
                        + " something else; in a regex, write it as \\x{202E}");
        assertThat(error(".*/x[QueryParam::name==ad\u200bmin]").reason()).startsWith("the invisible character U+200B");
        assertThat(error(".*/x\u2028.*").reason()).startsWith("the invisible character U+2028 (LINE SEPARATOR)");
        assertThat(error("#\u202e ignored, a comment\n.*/a\u2066").problems())
                .as("comments are not rules")
                .extracting(LimitsProblem::line)
                .containsExactly(2);

        Limits escaped = LimitsParser.parse(".*/x[QueryParam::q==\\x{202E}.*]");
        assertThat(escaped.rules()).hasSize(1);
        assertThat(LimitsParser.parse(".*/x[QueryParam::name==łukasz|Jürgen|مرحبا]")
                        .rules())
                .as("letters of any script are fine")
                .hasSize(1);
    }

    @Test
    void reportsEveryBadLineAtOnce() {
        LimitsSyntaxException e = error("(\n.*/ok\n[JsonData::a==1]\n.*[QueryParam::x==(?=y)]");
        assertThat(e.problems()).extracting(LimitsProblem::line).containsExactly(1, 3, 4);
        assertThat(e.problems().get(1).reason()).isEqualTo("missing URL regex (for any URL write '.*')");
        assertThat(e.problems().get(2))
                .hasToString("line 4, column 19: look-ahead '(?=' is not supported: restrictions use RE2 syntax,"
                        + " which runs in linear time and has no look-around or back-references");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                ".*(a)\\1 | 6 | back-reference '\\1' is not supported",
                ".*(a)(b)(c)(d)(e)(f)(g)(h)(i)\\9 | 30 | back-reference '\\9' is not supported",
                ".*(?P<n>a)\\k<n> | 11 | named back-reference '\\k<…>' is not supported",
                ".*[a](?=b) | 6 | look-ahead '(?=' is not supported",
                ".*/x[QueryParam::a==1 | 5 | missing ']' to close [QueryParam::…]",
                ".*/x[QueryParam::a==1]abcdefghijklmnopqrst | 23 | unexpected 'abcdefghijklmnopqrst' after",
                "[GEZ].* | 2 | unknown HTTP method 'GEZ' (did you mean GET?)",
                "[gez].* | 2 | unknown HTTP method 'gez' (did you mean GET?)",
                ".*(a{100}[(]){100} | 14 | nested repetition counts multiply to more than 1000",
                ".*(a{100}[a(]){100} | 15 | nested repetition counts multiply to more than 1000",
                ".*(a{100}[^](]){100} | 16 | nested repetition counts multiply to more than 1000",
                ".*\\k | 3 | invalid regex",
                "<.\\k | 3 | invalid regex",
                ".*(a{100}[^(]){100} | 15 | nested repetition counts multiply to more than 1000",
                ".*(a{100}[](]){100} | 15 | nested repetition counts multiply to more than 1000",
                ".*(a{100}[\\](]){100} | 16 | nested repetition counts multiply to more than 1000",
                ".*(a{100}[[:alpha:](]){100} | 23 | nested repetition counts multiply to more than 1000",
                ".*(?<!x)y | 3 | look-behind '(?<!' is not supported",
                ".*(?>ab) | 3 | atomic group '(?>' is not supported",
                ".*a++ | 4 | possessive quantifier '++' is not supported",
                ".*/x[QueryParam::a==(b] | 21 | invalid regex: missing closing ) '(b'",
                ".*/x[ | 5 | invalid regex: missing closing ] '[",
                ".*/x[QueryParam::a==[b] | 5 | missing ']' to close [QueryParam::…]",
                ".*/x[QueryParam::==b] | 18 | empty parameter name in [QueryParam::…]",
                ".*/x[QueryParam::a] | 18 | expected '==' after the name in [QueryParam::…]",
                ".*/x[JsonData::a..b==1] | 16 | empty segment in JSON path 'a..b'",
                ".*/x[JsonData::/a~2==1] | 16 | invalid escape in JSON Pointer '/a~2'",
                ".*/x[QueryParam::a==1]junk | 23 | unexpected 'junk' after a condition",
                ".*/x[QueryParam::a==1][::x==1] | 23 | expected [QueryParam::NAME==REGEX] or [JsonData::PATH==REGEX]",
                "[get] | 6 | missing URL regex",
                ".*((a{100}){100}){100} | 12 | nested repetition counts multiply to more than 1000",
                "\".*\u0000\" | 3 | the control character U+0000",
            })
    void explainsWhatIsWrongAndWhere(String limits, int column, String reason) {
        LimitsSyntaxException e = error(limits);
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.reason()).startsWith(reason);
        assertThat(e.column()).isEqualTo(column);
    }

    @Test
    void refusesOverlongLimitsAndRegexes() {
        assertThat(error("x".repeat(LimitsParser.MAX_LENGTH + 1)).reason()).contains("at most");
        assertThat(error(".*" + "a".repeat(5000)).reason()).contains("at most 4096");
        assertThat(error(".*\n".repeat(LimitsParser.MAX_RULES + 1)).reason()).isEqualTo("more than 5000 rules (5001)");
    }

    @Test
    void acceptsLimitsAndRegexesRightAtTheirBounds() {
        String longest = "#" + "x".repeat(LimitsParser.MAX_LENGTH - 4) + "\n.*";
        assertThat(longest).hasSize(LimitsParser.MAX_LENGTH);
        assertThat(LimitsParser.parse(longest).rules()).hasSize(1);
        assertThat(LimitsParser.parse(".*" + "a".repeat(4094)).rules()).hasSize(1);
        assertThat(LimitsParser.parse(".*\n".repeat(LimitsParser.MAX_RULES)).rules())
                .hasSize(LimitsParser.MAX_RULES);
    }

    @Test
    void limitsAreEqualOnlyWhenEveryPartIs() {
        String base = "[GET].*/a[QueryParam::q==1][JsonData::j==1]";
        Limits limits = LimitsParser.parse(base);
        assertThat(limits)
                .isEqualTo(LimitsParser.parse("[get] .*/a [jsondata::j==1] [queryparam::q==1]"))
                .hasSameHashCodeAs(LimitsParser.parse("[get] .*/a [jsondata::j==1] [queryparam::q==1]"))
                .isNotEqualTo(base);
        for (String other : new String[] {
            "[POST].*/a[QueryParam::q==1][JsonData::j==1]",
            ".*/a[QueryParam::q==1][JsonData::j==1]",
            "[GET].*/b[QueryParam::q==1][JsonData::j==1]",
            "[GET].*/a[QueryParam::r==1][JsonData::j==1]",
            "[GET].*/a[QueryParam::q==2][JsonData::j==1]",
            "[GET].*/a[QueryParam::q==1][JsonData::k==1]",
            "[GET].*/a[QueryParam::q==1][JsonData::j==2]",
            "[GET].*/a[QueryParam::q==1]",
            base + "\n.*",
        }) {
            assertThat(LimitsParser.parse(other)).as(other).isNotEqualTo(limits);
            assertThat(LimitsParser.parse(other).rules().get(0))
                    .as(other)
                    .isNotEqualTo(limits.rules().get(0).parts().get(0));
        }
        assertThat(Regex.compile("a"))
                .isEqualTo(Regex.compile("a"))
                .isNotEqualTo(Regex.compile("b"))
                .isNotEqualTo("a");
    }

    @Test
    void aLoneClosingBracketMustBeEscapedInsideACondition() {
        Limits limits = LimitsParser.parse(".*/x[QueryParam::v==a\\]b]");
        QueryParamCondition condition =
                (QueryParamCondition) limits.rules().get(0).parts().get(1);
        assertThat(condition.regex().source()).isEqualTo("a\\]b");
        assertThat(limits.evaluate(Request.get("/x?v=a]b")).allowed()).isTrue();
    }
}
