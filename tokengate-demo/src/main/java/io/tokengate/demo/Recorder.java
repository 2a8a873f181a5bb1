package io.tokengate.demo;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;

/** Decides who sent a request and records it, once, in the {@link RequestLog}. */
final class Recorder {
    /** Marks a request as recorded, so that Jetty's error path does not record it again. */
    static final String RECORDED = Recorder.class.getName() + ".recorded";

    private final Identity identity;
    private final Directory directory;
    private final Clock clock;
    private final RequestLog log;

    Recorder(Identity identity, Directory directory, Clock clock, RequestLog log) {
        this.identity = identity;
        this.directory = directory;
        this.clock = clock;
        this.log = log;
    }

    Instant now() {
        return clock.instant();
    }

    ReceivedRequest record(Request request, BodyReader.Body body, Instant arrived) {
        HttpURI uri = request.getHttpURI();
        List<ReceivedRequest.Header> headers = new ArrayList<>();
        for (HttpField field : request.getHeaders()) {
            headers.add(new ReceivedRequest.Header(field.getName(), field.getValue()));
        }
        ReceivedRequest received = new ReceivedRequest(
                request.getMethod(),
                uri.getPath() == null ? "" : uri.getPath(),
                uri.getQuery(),
                headers,
                body.bytes(),
                body.length(),
                body.sha256(),
                identify(request.getHeaders()).orElse(null),
                arrived);
        request.setAttribute(RECORDED, Boolean.TRUE);
        log.add(received);
        return received;
    }

    /** The effective user's directory name, or the presented name if the directory lacks it. */
    private Optional<String> identify(HttpFields headers) {
        return identity.authenticate(headers)
                .or(() -> directory.authenticate(headers))
                .filter(name -> !directory.refused(name))
                .map(name -> directory.person(name).name());
    }
}
