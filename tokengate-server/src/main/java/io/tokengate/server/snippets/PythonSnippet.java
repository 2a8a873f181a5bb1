package io.tokengate.server.snippets;

import java.util.Locale;

/**
 * Python 3 with {@code requests}. The body is passed as UTF-8 bytes (a {@code str} body would be
 * sent as Latin-1), and so are credentials with non-ASCII characters (requests encodes {@code str}
 * credentials as Latin-1; the gateway decodes UTF-8).
 */
final class PythonSnippet implements Generator {
    @Override
    public Language language() {
        return Language.PYTHON;
    }

    @Override
    public Generated generate(SnippetRequest request) {
        boolean ascii = Chars.isAscii(request.user() + request.secret());
        String user = PythonLiteral.quote(request.user()) + (ascii ? "" : ".encode(\"utf-8\")");
        String secret = PythonLiteral.quote(request.secret()) + (ascii ? "" : ".encode(\"utf-8\")");
        StringBuilder out = new StringBuilder();
        out.append("# Python 3 with requests (pip install requests, or Debian's python3-requests).\n");
        out.append("import requests\n\n");
        out.append("response = requests.")
                .append(request.method().toLowerCase(Locale.ROOT))
                .append("(\n");
        out.append("    ").append(PythonLiteral.quote(request.url())).append(",\n");
        out.append("    auth=(").append(user).append(", ").append(secret).append("),");
        out.append(ascii ? "\n" : "  # UTF-8: requests would send str credentials as Latin-1\n");
        if (request.hasBody()) {
            out.append("    headers={\"Content-Type\": ")
                    .append(PythonLiteral.quote(request.contentType()))
                    .append("},\n");
            out.append("    data=")
                    .append(PythonLiteral.quote(request.body(), '\''))
                    .append(".encode(\"utf-8\"),\n");
        }
        out.append("    timeout=30,\n");
        out.append(")\n");
        out.append("print(response.status_code)\n");
        out.append("print(response.text)\n");
        return Generated.ok(out.toString());
    }
}
