package io.tokengate.server.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each escaper's literals, evaluated by the real interpreter, give back the values exactly, and
 * run nothing: the values try to create a file named {@code pwned} in every language's syntax.
 * PowerShell has no interpreter here; {@link PowerShellLiteralTest} evaluates its expressions.
 */
class LiteralsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> VALUES = Nasty.values();

    @TempDir
    Path work;

    /** With history expansion on, as in an interactive shell the snippet is pasted into. */
    @Test
    void bashGivesBackEveryShellWord() throws IOException {
        StringBuilder script = new StringBuilder("set -o history -o histexpand\n");
        for (String value : VALUES) {
            script.append("printf '%s\\0' ").append(ShellQuote.quote(value)).append('\n');
        }
        Path file = write("literals.sh", script.toString());
        String out = Tools.run(
                        work,
                        Map.of(),
                        Tools.require("bash", "the shell the curl snippet is written for", "Debian's bash"),
                        file.toString())
                .succeeded("bash " + file)
                .stdout();
        assertThat(Arrays.asList(out.split("\0", -1)).subList(0, VALUES.size())).containsExactlyElementsOf(VALUES);
        assertThat(out).endsWith("\0");
        assertNothingRan();
    }

    @Test
    void nodeGivesBackEveryStringInBothQuotes() throws IOException {
        String literals = VALUES.stream()
                .map(v -> JsLiteral.quote(v) + ", " + JsLiteral.quote(v, '\''))
                .collect(Collectors.joining(",\n  "));
        Path file = write("literals.js", "process.stdout.write(JSON.stringify([\n  " + literals + "\n]));\n");
        String out = Tools.run(work, Map.of(), Tools.node(), file.toString())
                .succeeded("node " + file)
                .stdout();
        assertThat(JSON.readValue(out, new TypeReference<List<String>>() {})).containsExactlyElementsOf(twice(VALUES));
        assertNothingRan();
    }

    @Test
    void pythonGivesBackEveryStringInBothQuotes() throws IOException {
        String literals = VALUES.stream()
                .map(v -> PythonLiteral.quote(v) + ", " + PythonLiteral.quote(v, '\''))
                .collect(Collectors.joining(",\n    "));
        Path file =
                write("literals.py", "import json, sys\nsys.stdout.write(json.dumps([\n    " + literals + "\n]))\n");
        String out = Tools.run(work, Map.of(), Tools.python(), file.toString())
                .succeeded("python3 " + file)
                .stdout();
        assertThat(JSON.readValue(out, new TypeReference<List<String>>() {})).containsExactlyElementsOf(twice(VALUES));
        assertNothingRan();
    }

    /** The source is ASCII and read in the POSIX locale's ASCII, as JDK 17 would on a bare machine. */
    @Test
    void javaGivesBackEveryString() throws IOException {
        String literals = VALUES.stream().map(JavaLiteral::quote).collect(Collectors.joining(",\n            "));
        String source = "public class Literals {\n"
                + "    public static void main(String[] args) {\n"
                + "        String[] values = {\n            " + literals + "\n        };\n"
                + "        StringBuilder out = new StringBuilder();\n"
                + "        for (String value : values) {\n"
                + "            for (char c : value.toCharArray()) {\n"
                + "                out.append((int) c).append(' ');\n"
                + "            }\n"
                + "            out.append('|');\n"
                + "        }\n"
                + "        System.out.print(out);\n"
                + "    }\n"
                + "}\n";
        assertThat(source.chars()).allMatch(c -> c < 0x80);
        Path file = write("Literals.java", source);
        String out = Tools.run(
                        work,
                        Map.of("LC_ALL", "C", "LANG", "C"),
                        Tools.java(),
                        file.getFileName().toString())
                .succeeded("java " + file)
                .stdout();
        String expected = VALUES.stream()
                .map(v -> v.chars().mapToObj(c -> c + " ").collect(Collectors.joining()) + "|")
                .collect(Collectors.joining());
        assertThat(out).isEqualTo(expected);
        assertNothingRan();
    }

    private static List<String> twice(List<String> values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> {
            out.add(v);
            out.add(v);
        });
        return out;
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(work.resolve(name), text, StandardCharsets.UTF_8);
    }

    private void assertNothingRan() {
        assertThat(work.resolve("pwned")).doesNotExist();
    }
}
