package io.tokengate.server.snippets;

import java.util.ArrayList;
import java.util.List;

/**
 * A single-file program for {@code java Snippet.java} (JDK 11+) with {@link java.net.http.HttpClient}.
 * The source is pure ASCII (see {@link JavaLiteral}). A body longer than {@value #CHUNK}
 * characters is split into literals joined at run time, because one string constant in a class
 * file holds at most 65535 bytes.
 */
final class JavaSnippet implements Generator {
    static final int CHUNK = 4096;

    @Override
    public Language language() {
        return Language.JAVA;
    }

    @Override
    public Generated generate(SnippetRequest request) {
        StringBuilder out = new StringBuilder();
        out.append("// Run with: java Snippet.java   (JDK 11 or newer)\n");
        out.append("import java.net.URI;\n");
        out.append("import java.net.http.HttpClient;\n");
        out.append("import java.net.http.HttpRequest;\n");
        out.append("import java.net.http.HttpResponse;\n");
        out.append("import java.nio.charset.StandardCharsets;\n");
        out.append("import java.time.Duration;\n");
        out.append("import java.util.Base64;\n\n");
        out.append("public class Snippet {\n");
        out.append("    public static void main(String[] args) throws Exception {\n");
        out.append("        String credentials = ")
                .append(JavaLiteral.quote(request.user() + ":" + request.secret()))
                .append(";\n");
        if (request.hasBody()) {
            out.append("        String body = ")
                    .append(bodyExpression(request.body()))
                    .append(";\n");
        }
        out.append("        HttpRequest request = HttpRequest.newBuilder(URI.create(")
                .append(JavaLiteral.quote(request.url()))
                .append("))\n");
        out.append("                .timeout(Duration.ofSeconds(30))\n");
        out.append("                .header(\"Authorization\", \"Basic \"\n");
        out.append(
                "                        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))\n");
        if (request.hasBody()) {
            out.append("                .header(\"Content-Type\", ")
                    .append(JavaLiteral.quote(request.contentType()))
                    .append(")\n");
        }
        out.append("                ").append(method(request)).append("\n");
        out.append("                .build();\n");
        out.append("        HttpResponse<String> response =\n");
        out.append("                HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());\n");
        out.append("        System.out.println(response.statusCode());\n");
        out.append("        System.out.println(response.body());\n");
        out.append("    }\n");
        out.append("}\n");
        return Generated.ok(out.toString());
    }

    private static String method(SnippetRequest request) {
        String publisher =
                request.hasBody() ? "HttpRequest.BodyPublishers.ofString(body)" : "HttpRequest.BodyPublishers.noBody()";
        switch (request.method()) {
            case "GET":
                return ".GET()";
            case "DELETE":
                return request.hasBody() ? ".method(\"DELETE\", " + publisher + ")" : ".DELETE()";
            case "POST":
                return ".POST(" + publisher + ")";
            case "PUT":
                return ".PUT(" + publisher + ")";
            default:
                return ".method(" + JavaLiteral.quote(request.method()) + ", " + publisher + ")";
        }
    }

    private static String bodyExpression(String body) {
        if (body.length() <= CHUNK) {
            return JavaLiteral.quote(body);
        }
        List<String> chunks = new ArrayList<>();
        int start = 0;
        while (start < body.length()) {
            int end = Math.min(start + CHUNK, body.length());
            if (end < body.length() && Character.isHighSurrogate(body.charAt(end - 1))) {
                end--; // keep a surrogate pair in one literal
            }
            chunks.add("                " + JavaLiteral.quote(body.substring(start, end)));
            start = end;
        }
        return "String.join(\"\",\n" + String.join(",\n", chunks) + ")";
    }
}
