/**
 * A small, in-memory, Jira-like REST server: the sample upstream behind {@code ./tokengate demo}
 * and the fixture of every end-to-end test of the gateway, never part of the product's request
 * path. {@link io.tokengate.demo.DemoJira} starts it on 127.0.0.1 with Jira-shaped issues,
 * comments, filters, worklogs and users, decides who the caller is in one of the {@link
 * io.tokengate.demo.Identity} modes the gateway can forward with, and records every request that
 * reaches it, exactly as it arrived, as a {@link io.tokengate.demo.ReceivedRequest}, so that tests
 * can assert what the upstream saw and what it never saw.
 */
package io.tokengate.demo;
