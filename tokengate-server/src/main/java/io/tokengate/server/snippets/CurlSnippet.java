package io.tokengate.server.snippets;

import java.util.ArrayList;
import java.util.List;

/**
 * A curl command for bash or zsh, one option per line. The body goes in {@code --data-raw}, which
 * sends it byte for byte: {@code -d} and {@code --data-binary} would read a file for a body that
 * starts with {@code @}.
 */
final class CurlSnippet implements Generator {
    @Override
    public Language language() {
        return Language.CURL;
    }

    @Override
    public Generated generate(SnippetRequest request) {
        String url = request.url();
        List<String> lines = new ArrayList<>();
        lines.add("curl -sS -u " + ShellQuote.quote(request.user() + ":" + request.secret()));
        if (url.indexOf('[') >= 0) {
            lines.add("  --globoff"); // an IPv6 host: curl would read [..] as a glob
        }
        if (request.method().equals("HEAD")) {
            lines.add("  --head");
        } else if (!request.method().equals("GET")) {
            lines.add("  -X " + request.method());
        }
        if (request.hasBody()) {
            lines.add("  -H " + ShellQuote.quote("Content-Type: " + request.contentType()));
            lines.add("  --data-raw " + ShellQuote.quote(request.body()));
        }
        lines.add("  " + ShellQuote.quote(url));
        return Generated.ok(String.join(" \\\n", lines) + "\n");
    }
}
