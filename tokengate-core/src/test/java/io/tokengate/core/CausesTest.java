package io.tokengate.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class CausesTest {
    @Test
    void theFirstOfAKindIsFoundWhereverItIsInTheChain() {
        ConnectException refused = new ConnectException("refused");
        IOException wrapped = new IOException("wrapped", new RuntimeException("middle", refused));

        assertThat(Causes.find(wrapped, ConnectException.class)).containsSame(refused);
        assertThat(Causes.find(wrapped, IOException.class))
                .as("the exception itself first")
                .containsSame(wrapped);
        assertThat(Causes.find(wrapped, SQLException.class)).isEmpty();
        assertThat(Causes.any(wrapped, t -> "middle".equals(t.getMessage()))).isTrue();
        assertThat(Causes.any(null, t -> true)).isFalse();
    }

    @Test
    void aChainThatLoopsEnds() {
        Exception first = new Exception("first");
        Exception second = new Exception("second", first);
        first.initCause(second);

        assertThat(Causes.find(first, SQLException.class)).isEmpty();
        assertThat(Causes.any(first, t -> t instanceof SQLException)).isFalse();
    }
}
