package io.tokengate.core.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class QueryStringTest {

    @Test
    void readsParametersAsTheServletContainerDoes() {
        QueryString query = QueryString.parse("a=1&b=x+y&a=2&c&d=&=e&&f=%3D%26&g=a=b;h=1");
        assertThat(query.values("a")).containsExactly("1", "2");
        assertThat(query.values("b")).containsExactly("x y");
        assertThat(query.values("c")).containsExactly("");
        assertThat(query.values("d")).containsExactly("");
        assertThat(query.values("f")).containsExactly("=&");
        assertThat(query.values("g")).as("only '&' separates; ';' is data").containsExactly("a=b;h=1");
        assertThat(query.values("h")).isEmpty();
        assertThat(query.values("")).containsExactly("e");
        assertThat(query.values("missing")).isEmpty();
        assertThat(query.asMap().keySet()).containsExactly("a", "b", "c", "d", "", "f", "g");
    }

    @Test
    void keepsTheRawQueryForForwarding() {
        String raw = "jql=project%3DJRA+AND+x&maxResults=5";
        assertThat(QueryString.parse(raw).raw()).isEqualTo(raw);
        assertThat(QueryString.parse(raw).values("jql")).containsExactly("project=JRA AND x");
    }

    @Test
    void aQueryAnyUriMayCarryIsForwardedAsReceived() {
        String raw = "jql=project%3DJRA+AND+x&maxResults=5&a=1;b=(c)!~*'/?:@$,&d";
        assertThat(QueryString.parse(raw).forwarded()).isSameAs(raw);
    }

    @Test
    void whatNoUriMayCarryIsForwardedPercentEncodedToTheSameValues() {
        String raw = "jql=project=\"ABC\" AND x~{a|b}[1]\\^`<>#&q=jürgen&emoji=😀&kept=%22";
        QueryString received = QueryString.parse(raw);
        String forwarded = received.forwarded();

        assertThat(forwarded)
                .isEqualTo("jql=project=%22ABC%22%20AND%20x~%7Ba%7Cb%7D%5B1%5D%5C%5E%60%3C%3E%23"
                        + "&q=j%C3%BCrgen&emoji=%F0%9F%98%80&kept=%22");
        assertThat(java.net.URI.create("http://jira/search?" + forwarded).getRawQuery())
                .isEqualTo(forwarded);
        assertThat(QueryString.parse(forwarded).asMap()).isEqualTo(received.asMap());
        assertThat(received.values("jql")).containsExactly("project=\"ABC\" AND x~{a|b}[1]\\^`<>#");
    }

    @Test
    void lettersDigitsAndUriPunctuationStayAsTheyAreBesideWhatIsEncoded() {
        assertThat(QueryString.parse("q=\"azAZ09-\"").forwarded()).isEqualTo("q=%22azAZ09-%22");
        assertThat(QueryString.parse("a=`").forwarded()).isEqualTo("a=%60");
        assertThat(QueryString.parse("azAZ09-=[").forwarded()).isEqualTo("azAZ09-=%5B");
    }

    @Test
    void aLeadingEqualsSignStartsTheValueOfTheEmptyName() {
        QueryString query = QueryString.parse("=x&a=1");
        assertThat(query.values("")).containsExactly("x");
        assertThat(query.asMap().keySet()).containsExactly("", "a");
    }

    @Test
    void aLonePlusIsASpaceAndALonePercentIsRefused() {
        assertThat(QueryString.parse("a=+&b=%2B").values("a")).containsExactly(" ");
        assertThat(QueryString.parse("a=+&b=%2B").values("b")).containsExactly("+");
        assertThatThrownBy(() -> QueryString.parse("a=%")).hasMessage("invalid percent-encoding in query at '%'");
    }

    @Test
    void theParametersCannotBeChangedOnceRead() {
        QueryString query = QueryString.parse("a=1&a=2");
        assertThatThrownBy(() -> query.values("a").add("3")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> query.asMap().put("b", List.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThat(query.values("a")).containsExactly("1", "2");
    }

    @Test
    void decodesNamesAndUtf8() {
        QueryString query = QueryString.parse("us%65r=j%C3%BCrgen&raw=jürgen");
        assertThat(query.values("user")).containsExactly("jürgen");
        assertThat(query.values("raw")).containsExactly("jürgen");
        assertThat(QueryString.parse("c=\u0080\u07ff+x").values("c")).containsExactly("\u0080\u07ff x");
    }

    @Test
    void emptyQueries() {
        assertThat(QueryString.parse(null).asMap()).isEmpty();
        assertThat(QueryString.parse("").asMap()).isEmpty();
        assertThat(QueryString.parse("&&&").asMap()).isEmpty();
        assertThat(QueryString.parse("").values("a")).isEqualTo(List.of());
        assertThat(QueryString.empty().asMap()).isEmpty();
        assertThat(QueryString.empty().raw()).isEmpty();
        assertThat(QueryString.empty().forwarded()).isEmpty();
        assertThat(QueryString.parse("a=1")).hasToString("a=1");
    }

    @Test
    void refusesWhatTheUpstreamCouldReadDifferently() {
        assertThatThrownBy(() -> QueryString.parse("a=%zz"))
                .isInstanceOf(MalformedRequestException.class)
                .hasMessage("invalid percent-encoding in query at '%zz'");
        assertThatThrownBy(() -> QueryString.parse("a=%C3"))
                .isInstanceOf(MalformedRequestException.class)
                .hasMessage("invalid UTF-8 in query");
        assertThatThrownBy(() -> QueryString.parse("a=%C0%AE")).hasMessage("invalid UTF-8 in query");
        assertThatThrownBy(() -> QueryString.parse("a=\uD83D")).hasMessage("invalid character in query");
    }
}
