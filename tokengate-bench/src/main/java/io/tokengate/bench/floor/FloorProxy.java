package io.tokengate.bench.floor;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts one reference proxy on 127.0.0.1: {@code FloorProxy jetty|netty|netty-nio PORT UPSTREAM_URL}, with
 * the one {@code Authorization} value it accepts in the environment variable {@value #AUTHORIZATION}
 * (not on the command line, where {@code ps} would show it), every other request refused with 401;
 * or {@code FloorProxy netty-work PORT UPSTREAM_URL HOME}: Netty doing tokengate's own work on
 * every request ({@link TokengateWork}) with the tokens and audit log of the H2 database in HOME.
 */
public final class FloorProxy {
    static final String AUTHORIZATION = "FLOOR_AUTHORIZATION";

    private FloorProxy() {}

    public static void main(String[] args) throws Exception {
        boolean work = args.length == 4 && args[0].equals("netty-work");
        if (!work
                && (args.length != 3 || !List.of("jetty", "netty", "netty-nio").contains(args[0]))) {
            System.err.println("usage: FloorProxy jetty|netty|netty-nio PORT UPSTREAM_URL (and " + AUTHORIZATION
                    + " set), or FloorProxy netty-work PORT UPSTREAM_URL HOME");
            System.exit(64);
        }
        int port = Integer.parseInt(args[1]);
        URI upstream = URI.create(args[2]);
        if (work) {
            TokengateWork tokengate = new TokengateWork(Path.of(args[3]), "http://127.0.0.1:" + port);
            Runtime.getRuntime().addShutdownHook(new Thread(tokengate::close, "close-store"));
            NettyFloor.serve(port, upstream, tokengate, NettyFloor.Transport.EPOLL);
            return;
        }
        String authorization = System.getenv(AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            System.err.println("FloorProxy: " + AUTHORIZATION + " is not set");
            System.exit(64);
        }
        if (args[0].equals("jetty")) {
            JettyFloor.serve(port, upstream, authorization);
        } else {
            NettyFloor.Transport transport =
                    args[0].equals("netty") ? NettyFloor.Transport.EPOLL : NettyFloor.Transport.NIO;
            NettyFloor.serve(port, upstream, RequestWork.credentialOnly(authorization), transport);
        }
    }
}
