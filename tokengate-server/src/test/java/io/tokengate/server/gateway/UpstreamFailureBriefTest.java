package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** What an audit reason and a log line say of an upstream failure: a few words, no connection dumps. */
class UpstreamFailureBriefTest {
    @Test
    void aFailureIsItsKindAndMessageWithoutJettysObjectDumps() {
        assertThat(UpstreamFailures.brief(new ConnectException("Connection refused")))
                .isEqualTo("connection refused");
        assertThat(UpstreamFailures.brief(new TimeoutException())).isEqualTo("TimeoutException");
        assertThat(UpstreamFailures.brief(new EOFException("HttpConnectionOverHTTP@3c2c1b9b::SocketChannelEndPoint@6a0b"
                        + "{l=/127.0.0.1:34562,r=/127.0.0.1:8080,OPEN,fill=-,flush=-,to=1/30000}{io=0/0,kio=0,kro=1}")))
                .isEqualTo("Jira closed the connection before answering");
        assertThat(UpstreamFailures.brief(
                        new EOFException("oejcti.HttpConnectionOverHTTP@3c2c1b9b::SocketChannelEndPoint"
                                + "@6a0b{l=/127.0.0.1:34562,r=/127.0.0.1:8080,OPEN,fill=-,flush=-,to=1/30000}")))
                .as("Jetty's abbreviated package is no reason either")
                .isEqualTo("Jira closed the connection before answering");
        assertThat(UpstreamFailures.briefDuringResponse(
                        new EOFException("oejcti.HttpConnectionOverHTTP@3c2c1b9b"), false))
                .isEqualTo("Jira closed the connection before the response's end");
        assertThat(UpstreamFailures.brief(new IllegalStateException("aborted oejcti.HttpChannelOverHTTP@1a2b3c4d(x)")))
                .isEqualTo("IllegalStateException: aborted …");
        assertThat(UpstreamFailures.brief(
                        new IllegalStateException("aborted HttpChannelOverHTTP@1a2b3c4d(exchange=x)")))
                .isEqualTo("IllegalStateException: aborted …");
        assertThat(UpstreamFailures.brief(new IllegalStateException("x".repeat(500))))
                .hasSize("IllegalStateException: ".length() + 199 + 2)
                .endsWith("x …");
    }
}
