package io.tokengate.server.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The flags of {@code serve} that override settings, shared with {@code config check} so that a
 * configuration is checked as it will be served.
 */
final class ServeOptions {
    @Option(names = "--port", paramLabel = "PORT", description = "Data plane port (gateway.port, default 8080).")
    Integer port;

    @Option(names = "--admin-port", paramLabel = "PORT", description = "Admin plane port (admin.port, default 8081).")
    Integer adminPort;

    @Option(names = "--upstream", paramLabel = "URL", description = "Jira's base URL (upstream.url).")
    String upstream;

    /** The settings these flags give, by key; null where a flag is absent. */
    Map<String, String> flags() {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("gateway.port", port == null ? null : port.toString());
        flags.put("admin.port", adminPort == null ? null : adminPort.toString());
        flags.put("upstream.url", upstream);
        return flags;
    }
}
