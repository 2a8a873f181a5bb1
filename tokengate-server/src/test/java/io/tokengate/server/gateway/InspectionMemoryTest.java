package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.token.TokenId;
import io.tokengate.server.gateway.InspectionMemory.Growth;
import org.junit.jupiter.api.Test;

/**
 * The memory bodies read for JSON conditions hold: all requests together at most the bound, one
 * token's requests at most half of it (but never less than the largest body), each request's share
 * given back once.
 */
class InspectionMemoryTest {
    private static final TokenId A = new TokenId("tok_aaaaaaaaaaaaaaaa");
    private static final TokenId B = new TokenId("tok_bbbbbbbbbbbbbbbb");
    private static final TokenId C = new TokenId("tok_cccccccccccccccc");

    private final InspectionMemory memory = new InspectionMemory(1000, 100);

    @Test
    void oneTokenHoldsAtMostHalfAndAllTogetherAtMostTheBound() {
        assertThat(memory.hold(A).growTo(300)).isEqualTo(Growth.GROWN);
        assertThat(memory.hold(A).growTo(200)).isEqualTo(Growth.GROWN);
        assertThat(memory.hold(A).growTo(1))
                .as("A's requests hold 500, half of 1000")
                .isEqualTo(Growth.TOKEN_AT_SHARE);
        assertThat(memory.hold(B).growTo(499)).isEqualTo(Growth.GROWN);
        InspectionMemory.Hold c = memory.hold(C);
        assertThat(c.growTo(2))
                .as("999 held: C is within its share, not the bound")
                .isEqualTo(Growth.FULL);
        assertThat(memory.heldBy(C)).as("C's refused growth holds nothing").isZero();
        assertThat(c.growTo(1)).isEqualTo(Growth.GROWN);
        assertThat(memory.held()).isEqualTo(1000);
    }

    @Test
    void aShareGrowsByWhatItLacksAndIsGivenBackOnce() {
        InspectionMemory.Hold a = memory.hold(A);
        assertThat(a.growTo(100)).isEqualTo(Growth.GROWN);
        assertThat(a.growTo(400)).isEqualTo(Growth.GROWN);
        assertThat(a.growTo(200)).as("already holds more").isEqualTo(Growth.GROWN);
        assertThat(memory.held()).isEqualTo(400);
        assertThat(memory.heldBy(A)).isEqualTo(400);

        a.release();
        a.release();
        assertThat(memory.held()).isZero();
        assertThat(memory.heldBy(A)).isZero();
        assertThat(a.growTo(500)).as("a share given back takes no more").isEqualTo(Growth.FULL);
        assertThat(memory.held()).isZero();
        assertThat(memory.hold(A).growTo(500)).isEqualTo(Growth.GROWN);
    }

    @Test
    void aTokensShareIsNeverLessThanTheLargestBodyNorMoreThanTheBound() {
        assertThat(new InspectionMemory(1000, 100).tokenShare()).isEqualTo(500);
        assertThat(new InspectionMemory(1000, 800).tokenShare()).isEqualTo(800);
        assertThat(new InspectionMemory(100, 100).tokenShare()).isEqualTo(100);
    }
}
