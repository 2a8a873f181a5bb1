package io.tokengate.server.cli;

import io.tokengate.server.config.TokengateConfig;
import io.tokengate.server.users.ServiceAccountCheck;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * {@code config check}'s look at the upstream: that {@code upstream.url} is Jira's base URL, that
 * Jira answers there, and that the service account, if one is set, is let in.
 */
final class UpstreamCheck {
    /** What Jira answers without credentials: its version and base URL. */
    private static final String SERVER_INFO = "/rest/api/2/serverInfo";

    private UpstreamCheck() {}

    /**
     * Asks the upstream for {@link #SERVER_INFO}.
     *
     * @return whether it answered: then {@link #checkServiceAccount} can ask it more
     */
    static boolean checkReachable(TokengateConfig config, List<String> problems, List<String> warnings) {
        URI upstream = config.upstream().orElseThrow();
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        config.upstreamTrust().ifPresent(trust -> builder.sslContext(trust.sslContext()));
        HttpClient client = builder.build();
        URI serverInfo = URI.create(withoutTrailingSlash(upstream.toString()) + SERVER_INFO);
        try {
            HttpResponse<Void> answer = client.send(
                    HttpRequest.newBuilder(serverInfo)
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() == 404) {
                warnings.add("upstream " + upstream + " answers 404 to " + SERVER_INFO + ", which every Jira"
                        + " answers: is upstream.url Jira's base URL, with its context path if it has one"
                        + " (http://host:8080/jira)?");
            }
        } catch (IOException e) {
            problems.add("upstream " + upstream + " cannot be reached: " + unreachable(e));
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("upstream check interrupted");
            return false;
        }
        return true;
    }

    /** Whether Jira takes the service account, when {@code upstream.identity} has one. */
    static void checkServiceAccount(TokengateConfig config, List<String> problems, List<String> warnings) {
        ServiceAccountCheck.check(
                        config.upstream().orElseThrow(),
                        config.upstreamTrust(),
                        config.identity(),
                        Duration.ofSeconds(10))
                .ifPresent(finding -> (finding.problem() ? problems : warnings).add(finding.message()));
    }

    /** Why {@link #checkReachable}'s client reached nothing, in words. */
    static String unreachable(IOException e) {
        return Unreachable.why(
                e,
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                "if Jira's certificate is not signed by a public CA, set upstream.tls.ca");
    }

    /** upstream.url is Jira's base URL: a request's path is appended to it, /rest/... included. */
    static void checkPath(TokengateConfig config, List<String> warnings) {
        config.upstream().ifPresent(upstream -> {
            String path = upstream.getPath() == null ? "" : upstream.getPath();
            if (path.equals("/rest") || path.startsWith("/rest/") || path.contains("/rest/api/")) {
                warnings.add("upstream.url " + upstream + " has a REST path: it should be Jira's base URL,"
                        + " since each request's own path (/rest/api/2/...) is appended to it");
            }
        });
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
