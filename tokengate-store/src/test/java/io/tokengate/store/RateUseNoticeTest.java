package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.token.RateExchange.Use;
import io.tokengate.core.token.RateLimit;
import io.tokengate.core.token.TokenId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateUseNoticeTest {
    private static final TokenId TOKEN = new TokenId("tok_AAAAAAAAAAAAAAAA");
    private static final TokenId OTHER = new TokenId("tok_BBBBBBBBBBBBBBBB");

    private static RateLimit rate(String text) {
        return RateLimit.parse(text).orElseThrow();
    }

    @Test
    void usesSurviveTheRoundTrip() {
        List<Use> uses = List.of(new Use(TOKEN, rate("100/min"), 12), new Use(OTHER, rate("1000000/day"), 999_999));
        List<String> payloads = RateUseNotice.encode(uses, RateUseNotice.MAX_PAYLOAD);
        assertThat(payloads).containsExactly("tok_AAAAAAAAAAAAAAAA 12 100/min;tok_BBBBBBBBBBBBBBBB 999999 1000000/day");
        assertThat(RateUseNotice.decode(payloads.get(0))).isEqualTo(uses);
    }

    @Test
    void nothingToSendIsNoNotification() {
        assertThat(RateUseNotice.encode(List.of(), RateUseNotice.MAX_PAYLOAD)).isEmpty();
    }

    @Test
    void manyUsesAreSplitUnderTheLimitWithoutCuttingAnEntry() {
        List<Use> uses = new ArrayList<>();
        for (int i = 1; i <= 500; i++) {
            uses.add(new Use(i % 2 == 0 ? TOKEN : OTHER, rate(i + "/h"), i));
        }
        List<String> payloads = RateUseNotice.encode(uses, 1000);
        assertThat(payloads).hasSizeGreaterThan(10).allSatisfy(p -> assertThat(p.length())
                .isLessThanOrEqualTo(1000));
        List<Use> decoded = new ArrayList<>();
        payloads.forEach(p -> decoded.addAll(RateUseNotice.decode(p)));
        assertThat(decoded).isEqualTo(uses);
    }

    @Test
    void entriesThatCannotBeReadAreLeftOut() {
        assertThat(RateUseNotice.decode("tok_AAAAAAAAAAAAAAAA 3 5/min;"
                        + "tok_short 3 5/min;"
                        + "tok_BBBBBBBBBBBBBBBB x 5/min;"
                        + "tok_BBBBBBBBBBBBBBBB 0 5/min;"
                        + "tok_BBBBBBBBBBBBBBBB 99999999999999999999 5/min;"
                        + "tok_BBBBBBBBBBBBBBBB 3 5/fortnight;"
                        + "tok_BBBBBBBBBBBBBBBB 3 none;"
                        + "tok_BBBBBBBBBBBBBBBB 3;"
                        + ";"
                        + "tok_BBBBBBBBBBBBBBBB 4 1/s"))
                .containsExactly(new Use(TOKEN, rate("5/min"), 3), new Use(OTHER, rate("1/s"), 4));
    }
}
