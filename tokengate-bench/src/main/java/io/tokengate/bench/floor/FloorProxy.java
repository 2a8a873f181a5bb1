package io.tokengate.bench.floor;

import java.net.URI;

/**
 * Starts one reference proxy on 127.0.0.1: {@code FloorProxy jetty|netty PORT UPSTREAM_URL}, with
 * the one {@code Authorization} value it accepts in the environment variable {@value #AUTHORIZATION}
 * (not on the command line, where {@code ps} would show it). Every other request gets 401.
 */
public final class FloorProxy {
    static final String AUTHORIZATION = "FLOOR_AUTHORIZATION";

    private FloorProxy() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3 || !(args[0].equals("jetty") || args[0].equals("netty"))) {
            System.err.println("usage: FloorProxy jetty|netty PORT UPSTREAM_URL (and " + AUTHORIZATION + " set)");
            System.exit(64);
        }
        String authorization = System.getenv(AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            System.err.println("FloorProxy: " + AUTHORIZATION + " is not set");
            System.exit(64);
        }
        int port = Integer.parseInt(args[1]);
        URI upstream = URI.create(args[2]);
        if (args[0].equals("jetty")) {
            JettyFloor.serve(port, upstream, authorization);
        } else {
            NettyFloor.serve(port, upstream, authorization);
        }
    }
}
