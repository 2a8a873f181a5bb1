package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.token.RateExchange;
import io.tokengate.core.token.RateExchange.Use;
import io.tokengate.core.token.RateLimit;
import io.tokengate.core.token.TokenId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateShareTest {
    private static final TokenId TOKEN = new TokenId("tok_AAAAAAAAAAAAAAAA");
    private static final TokenId OTHER = new TokenId("tok_BBBBBBBBBBBBBBBB");

    /** A node's rate limiter: uses to hand over, and the others' charged. */
    private static final class Ledger implements RateExchange {
        final List<Use> local = new ArrayList<>();
        final List<Use> charged = new ArrayList<>();

        @Override
        public List<Use> drainLocal() {
            List<Use> drained = List.copyOf(local);
            local.clear();
            return drained;
        }

        @Override
        public void chargeRemote(Use use) {
            charged.add(use);
        }
    }

    private static RateLimit rate(String text) {
        return RateLimit.parse(text).orElseThrow();
    }

    @Test
    void usesSurviveTheRoundTrip() {
        Ledger sender = new Ledger();
        Ledger receiver = new Ledger();
        List<Use> uses = List.of(new Use(TOKEN, rate("100/min"), 12), new Use(OTHER, rate("1000000/day"), 999_999));
        sender.local.addAll(uses);
        List<String> payloads = CountNotice.encode(new RateShare(sender).drainLocal(), CountNotice.MAX_PAYLOAD);
        assertThat(payloads).containsExactly("tok_AAAAAAAAAAAAAAAA@100/min 12;tok_BBBBBBBBBBBBBBBB@1000000/day 999999");
        CountNotice.decode(payloads.get(0)).forEach(new RateShare(receiver)::addRemote);
        assertThat(receiver.charged).isEqualTo(uses);
    }

    @Test
    void nothingToSendIsNoNotification() {
        assertThat(CountNotice.encode(new RateShare(new Ledger()).drainLocal(), CountNotice.MAX_PAYLOAD))
                .isEmpty();
    }

    @Test
    void usesOfOneTokenAtOneRateAreSentAsOne() {
        Ledger sender = new Ledger();
        sender.local.addAll(List.of(
                new Use(TOKEN, rate("5/min"), 2), new Use(TOKEN, rate("5/min"), 3), new Use(TOKEN, rate("6/min"), 1)));
        assertThat(new RateShare(sender).drainLocal())
                .containsExactly(
                        Map.entry("tok_AAAAAAAAAAAAAAAA@5/min", 5L), Map.entry("tok_AAAAAAAAAAAAAAAA@6/min", 1L));
    }

    @Test
    void entriesThatCannotBeReadAreLeftOut() {
        Ledger receiver = new Ledger();
        CountNotice.decode("tok_AAAAAAAAAAAAAAAA@5/min 3;"
                        + "tok_short@5/min 3;"
                        + "tok_BBBBBBBBBBBBBBBB@5/min x;"
                        + "tok_BBBBBBBBBBBBBBBB@5/min 0;"
                        + "tok_BBBBBBBBBBBBBBBB@5/min 99999999999999999999;"
                        + "tok_BBBBBBBBBBBBBBBB@5/fortnight 3;"
                        + "tok_BBBBBBBBBBBBBBBB@none 3;"
                        + "tok_BBBBBBBBBBBBBBBB 3;"
                        + ";"
                        + "tok_BBBBBBBBBBBBBBBB@1/s 4")
                .forEach(new RateShare(receiver)::addRemote);
        assertThat(receiver.charged).containsExactly(new Use(TOKEN, rate("5/min"), 3), new Use(OTHER, rate("1/s"), 4));
    }
}
