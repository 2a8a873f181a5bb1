package io.tokengate.demo;

import java.util.ArrayDeque;
import java.util.List;

/** The most recent requests that reached the demo, oldest first; older ones drop off. */
final class RequestLog {
    private final int capacity;
    private final ArrayDeque<ReceivedRequest> requests;

    RequestLog(int capacity) {
        this.capacity = capacity;
        this.requests = new ArrayDeque<>(capacity);
    }

    synchronized void add(ReceivedRequest request) {
        if (requests.size() == capacity) {
            requests.removeFirst();
        }
        requests.addLast(request);
    }

    synchronized List<ReceivedRequest> snapshot() {
        return List.copyOf(requests);
    }

    synchronized void clear() {
        requests.clear();
    }
}
