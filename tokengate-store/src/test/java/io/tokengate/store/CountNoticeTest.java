package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CountNoticeTest {
    @Test
    void countsSurviveTheRoundTripSplitUnderTheLimit() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            counts.put("10.0." + (i / 256) + "." + (i % 256), (long) i + 1);
        }
        counts.put("2001:db8::1", 7L);
        List<String> payloads = CountNotice.encode(counts, 500);
        assertThat(payloads).hasSizeGreaterThan(5).allSatisfy(p -> assertThat(p.length())
                .isLessThanOrEqualTo(500));
        Map<String, Long> decoded = new LinkedHashMap<>();
        payloads.forEach(p -> CountNotice.decode(p).forEach((k, v) -> decoded.merge(k, v, Long::sum)));
        assertThat(decoded).isEqualTo(counts);
    }

    @Test
    void whatCannotBeCarriedOrReadIsLeftOut() {
        assertThat(CountNotice.encode(Map.of("has space", 1L, "semi;colon", 1L, "zero", 0L), 7900))
                .isEmpty();
        assertThat(CountNotice.decode("10.0.0.1 3;10.0.0.2 x;10.0.0.3 0;10.0.0.4;;a b c;10.0.0.1 2;10.0.0.5 -1"))
                .containsExactly(Map.entry("10.0.0.1", 5L));
    }
}
