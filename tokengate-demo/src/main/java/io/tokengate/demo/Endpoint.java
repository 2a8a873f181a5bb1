package io.tokengate.demo;

/**
 * Answers one kind of request. It must complete the exchange's callback exactly once, now or
 * later; a thrown exception becomes a Jira-shaped 500 if nothing was sent yet.
 */
@FunctionalInterface
interface Endpoint {
    void handle(Exchange exchange) throws Exception;
}
