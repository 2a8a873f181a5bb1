package io.tokengate.server.snippets;

import java.util.ArrayList;
import java.util.List;

/**
 * JavaScript {@code fetch} for Node.js 18+ and browsers, without variables or top-level await so
 * that it runs as a CommonJS file, a module, or pasted twice into a console. Basic credentials
 * are encoded with {@code btoa} (the seed's {@code atob} decodes instead); {@code btoa} takes
 * Latin-1 text only, so credentials with non-ASCII characters are first encoded as UTF-8, which
 * is what the gateway decodes.
 */
final class FetchSnippet implements Generator {
    @Override
    public Language language() {
        return Language.JAVASCRIPT;
    }

    @Override
    public Generated generate(SnippetRequest request) {
        String credentials = request.user() + ":" + request.secret();
        String basic = Chars.isAscii(credentials)
                ? "btoa(" + JsLiteral.quote(credentials) + ")"
                : "btoa(String.fromCharCode(...new TextEncoder().encode(" + JsLiteral.quote(credentials) + ")))";
        List<String> headers = new ArrayList<>();
        headers.add("    \"Authorization\": \"Basic \" + " + basic);
        if (request.hasBody()) {
            headers.add("    \"Content-Type\": " + JsLiteral.quote(request.contentType()));
        }
        List<String> options = new ArrayList<>();
        if (!request.method().equals("GET")) {
            options.add("  method: " + JsLiteral.quote(request.method()));
        }
        options.add("  headers: {\n" + String.join(",\n", headers) + "\n  }");
        if (request.hasBody()) {
            options.add("  body: " + JsLiteral.quote(request.body(), '\''));
        }
        StringBuilder out = new StringBuilder();
        out.append("// Node.js 18+ (node snippet.js) or a browser console (mind CORS on other origins).\n");
        if (!Chars.isAscii(credentials)) {
            out.append("// btoa() takes Latin-1 only: the credentials are encoded as UTF-8 first.\n");
        }
        out.append("fetch(").append(JsLiteral.quote(request.url())).append(", {\n");
        out.append(String.join(",\n", options)).append("\n})\n");
        out.append("  .then(response => response.text().then(text => {\n");
        out.append("    console.log(response.status);\n");
        out.append("    console.log(text);\n");
        out.append("  }))\n");
        out.append("  .catch(error => console.error(error));\n");
        return Generated.ok(out.toString());
    }
}
