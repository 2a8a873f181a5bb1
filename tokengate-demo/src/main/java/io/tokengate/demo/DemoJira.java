package io.tokengate.demo;

import java.io.InputStream;
import java.net.URI;
import java.security.KeyStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A running demo Jira: an in-memory, Jira-like REST server on 127.0.0.1, for {@code ./tokengate
 * demo} and for end-to-end tests of the gateway.
 *
 * <pre>{@code
 * try (DemoJira jira = DemoJira.start(DemoJira.Options.defaults().contextPath("/jira"))) {
 *     URI base = jira.baseUri();                 // http://127.0.0.1:PORT/jira
 *     ... call base + "/rest/api/2/issue/AAA-1" with X-Forwarded-User: admin ...
 *     ReceivedRequest last = jira.received().get(jira.received().size() - 1);
 * }
 * }</pre>
 *
 * <p>It serves, as JSON under the context path: {@code GET /rest/api/2/issue/{key}}, {@code POST
 * /rest/api/2/issue/{key}/comment}, {@code POST /rest/api/2/filter}, {@code GET
 * /rest/api/2/issuetype}, {@code GET /rest/api/2/myself}, {@code GET /rest/api/2/user}, {@code GET
 * /rest/api/2/mypermissions}, {@code GET /rest/api/2/search}, {@code GET
 * /rest/extender/1.0/filter/user/{name}}, {@code GET /rest/extender/1.0/worklog/user/{name}}; the
 * octet stream {@code GET /rest/api/2/attachment/content/{id}?size=BYTES} (see {@link
 * #attachmentContent(long)}); {@code ANY /rest/api/2/echo/**}, which answers with the request as
 * received; and, only with {@link Options#faultEndpoints(boolean) faultEndpoints(true)}, the
 * failures under {@code /rest/demo/1.0/} ({@code slow?ms=N}, {@code reset}, {@code stall}, {@code
 * trickle?bytes=N&ms=M}, {@code status/{code}}, {@code header?bytes=N}) that the gateway's
 * upstream-failure tests need. Everything else is 404.
 *
 * <p>Every request is recorded before it is answered, whatever the answer. Targets that Jetty
 * would normally refuse as ambiguous ({@code %2F}, {@code ..}, {@code ;}) reach the demo as they
 * are, so that a test can see what a gateway forwarded. The few that Jetty cannot parse at all
 * (climbing above the root, {@code %00}) are answered 400 by Jetty and recorded as method {@code
 * BAD}, path {@code /badMessage}: {@link #received()} is empty only if nothing arrived.
 */
public final class DemoJira implements AutoCloseable {
    /** How many requests {@link #received()} keeps. */
    public static final int RECEIVED_CAPACITY = 1000;

    private final DemoServer server;
    private final RequestLog log;
    private final Directory directory;

    private DemoJira(DemoServer server, RequestLog log, Directory directory) {
        this.server = server;
        this.log = log;
        this.directory = directory;
    }

    /** Starts a demo Jira with its seed data; the returned instance is running. */
    public static DemoJira start(Options options) {
        Directory directory = new Directory(options.users());
        RequestLog log = new RequestLog(RECEIVED_CAPACITY);
        Recorder recorder = new Recorder(options.identity(), directory, options.clock(), log);
        Router router = Routes.create(SeedData.create(), directory, options.clock(), options.faultEndpoints());
        DemoServer server = DemoServer.start(
                options, new DemoHandler(options, directory, recorder, router), new RefusedRequestHandler(recorder));
        return new DemoJira(server, log, directory);
    }

    /** {@code http://127.0.0.1:PORT} and the context path, without a trailing slash. */
    public URI baseUri() {
        return server.baseUri();
    }

    /** The last {@value #RECEIVED_CAPACITY} requests that reached the demo, oldest first. */
    public List<ReceivedRequest> received() {
        return log.snapshot();
    }

    /** Forgets every received request. */
    public void clearReceived() {
        log.clear();
    }

    /**
     * Adds {@code user} to the directory, or replaces the user of that name, while the demo serves:
     * as an administrator changes a user in Jira (takes away administration, say).
     */
    public void putUser(DemoUser user) {
        directory.put(user);
    }

    /**
     * Deletes the user {@code name} while the demo serves, as an administrator deletes one in Jira:
     * from then on, requests that name them (by name or e-mail, in any identity mode, or by
     * password) are refused with 401, though names the directory never had are still accepted.
     * {@link #putUser} brings them back.
     */
    public void removeUser(String name) {
        directory.remove(name);
    }

    /**
     * Deactivates the user {@code name} while the demo serves, as an administrator does in Jira:
     * from then on, requests that name them (in any identity mode, by password or by personal
     * access token) are refused with 401, as for a deleted user, but {@code GET
     * /rest/api/2/user?username=NAME} still shows them, with {@code "active": false}. {@link
     * #putUser} activates them again.
     */
    public void deactivateUser(String name) {
        directory.deactivate(name);
    }

    /**
     * The content of a demo attachment of {@code size} bytes, as {@code GET
     * /rest/api/2/attachment/content/{id}?size=BYTES} serves it: the byte at offset {@code i} is
     * {@code i % 251}. Generated on the fly, so tests can compare any size without a copy.
     */
    public static InputStream attachmentContent(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        return new AttachmentContent(size);
    }

    /** Stops the server, closing every connection, including stalled ones. */
    @Override
    public void close() {
        server.stop();
    }

    @Override
    public String toString() {
        return "DemoJira[" + server.baseUri() + "]";
    }

    /**
     * How to start a demo Jira. Immutable; each method returns a changed copy.
     *
     * @param port the port on 127.0.0.1, 0 for any free one
     * @param contextPath {@code ""} or a path such as {@code /jira}, without a trailing slash
     * @param identity how the demo decides who the caller is
     * @param faultEndpoints whether the test-only failure endpoints under {@code /rest/demo/1.0/}
     *     exist
     * @param users the directory: who may sign in with Basic name:password, and their profiles
     * @param recordedBodyLimit how many body bytes of each request {@link #received()} keeps
     * @param clock the clock for arrival times and new comments
     * @param tls the certificate to serve HTTPS with; empty for plain HTTP
     */
    public record Options(
            int port,
            String contextPath,
            Identity identity,
            boolean faultEndpoints,
            List<DemoUser> users,
            int recordedBodyLimit,
            Clock clock,
            Optional<Tls> tls) {
        private static final Pattern CONTEXT_PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)*");

        /**
         * The users of the seed page and a plain pair: admin, ansible, alice, bob (password = name);
         * all in {@code jira-users}, admin also in {@code jira-administrators}, ansible in {@code
         * automation}.
         */
        public static final List<DemoUser> DEFAULT_USERS = List.of(
                new DemoUser("admin", "admin", "admin@example.com", "Administrator", true),
                new DemoUser(
                        "ansible",
                        "ansible",
                        "ansible@ansible.jira.pl",
                        "Ansible Automation",
                        false,
                        List.of("automation", DemoUser.USERS)),
                new DemoUser("alice", "alice", "alice@example.com", "Alice Archer", false),
                new DemoUser("bob", "bob", "bob@example.com", "Bob Builder", false));

        /** 4 MiB: more than the gateway's default body inspection limit of 1 MiB. */
        public static final int DEFAULT_RECORDED_BODY_LIMIT = 4 << 20;

        public Options {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be from 0 to 65535, not " + port);
            }
            Objects.requireNonNull(contextPath, "contextPath");
            if (!CONTEXT_PATH.matcher(contextPath).matches()) {
                throw new IllegalArgumentException(
                        "context path must be \"\" or like \"/jira\" (no trailing slash), not \"" + contextPath + "\"");
            }
            Objects.requireNonNull(identity, "identity");
            users = List.copyOf(users);
            Set<String> names = new HashSet<>();
            for (DemoUser user : users) {
                for (String name : List.of(user.name(), user.email())) {
                    if (!names.add(name.toLowerCase(Locale.ROOT))) {
                        throw new IllegalArgumentException("two demo users have the name or e-mail '" + name + "'");
                    }
                }
            }
            if (recordedBodyLimit < 0) {
                throw new IllegalArgumentException("recordedBodyLimit must not be negative: " + recordedBodyLimit);
            }
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(tls, "tls");
        }

        /** Any free port, no context path, identity from {@code X-Forwarded-User}, no fault endpoints. */
        public static Options defaults() {
            return new Options(
                    0,
                    "",
                    Identity.header(Identity.DEFAULT_HEADER),
                    false,
                    DEFAULT_USERS,
                    DEFAULT_RECORDED_BODY_LIMIT,
                    Clock.systemUTC(),
                    Optional.empty());
        }

        public Options port(int port) {
            return new Options(port, contextPath, identity, faultEndpoints, users, recordedBodyLimit, clock, tls);
        }

        public Options contextPath(String contextPath) {
            return new Options(port, contextPath, identity, faultEndpoints, users, recordedBodyLimit, clock, tls);
        }

        public Options identity(Identity identity) {
            return new Options(port, contextPath, identity, faultEndpoints, users, recordedBodyLimit, clock, tls);
        }

        /** Whether the test-only failure endpoints exist; never turn them on for people. */
        public Options faultEndpoints(boolean faultEndpoints) {
            return new Options(port, contextPath, identity, faultEndpoints, users, recordedBodyLimit, clock, tls);
        }

        /** Replaces the directory. */
        public Options users(List<DemoUser> users) {
            return new Options(port, contextPath, identity, faultEndpoints, users, recordedBodyLimit, clock, tls);
        }

        /** Adds {@code user} to the directory. */
        public Options addUser(DemoUser user) {
            List<DemoUser> more = new ArrayList<>(users);
            more.add(user);
            return users(more);
        }

        public Options recordedBodyLimit(int recordedBodyLimit) {
            return new Options(port, contextPath, identity, faultEndpoints, users, recordedBodyLimit, clock, tls);
        }

        public Options clock(Clock clock) {
            return new Options(port, contextPath, identity, faultEndpoints, users, recordedBodyLimit, clock, tls);
        }

        /** Serves HTTPS with the key and certificate in {@code keyStore}, as a Jira behind TLS. */
        public Options tls(KeyStore keyStore, String password) {
            return new Options(
                    port,
                    contextPath,
                    identity,
                    faultEndpoints,
                    users,
                    recordedBodyLimit,
                    clock,
                    Optional.of(new Tls(keyStore, password)));
        }
    }

    /** A keystore holding the demo's certificate and key, and its password. */
    public record Tls(KeyStore keyStore, String password) {
        public Tls {
            Objects.requireNonNull(keyStore, "keyStore");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Tls[password=redacted]";
        }
    }
}
