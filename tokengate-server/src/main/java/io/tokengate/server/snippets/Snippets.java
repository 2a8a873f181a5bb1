package io.tokengate.server.snippets;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Writes ready-to-run code for a token and a sample call, in every {@link Language}. Pure: no
 * I/O, same input, same text. Callers check secure mode before (it refuses snippets) and must
 * treat the result as a secret, since each snippet contains the token secret.
 *
 * <pre>{@code
 * SnippetSet set = Snippets.generate(SnippetRequest.of(
 *         "https://gw.example.com", "alice", secret.reveal(), "POST", "/rest/api/2/issue/ISSUE-1/comment")
 *         .withBody("{\"body\":\"Comment text\"}", null));
 * String curl = set.snippets().get(Language.CURL);
 * }</pre>
 */
public final class Snippets {
    private static final List<Generator> GENERATORS = List.of(
            new CurlSnippet(),
            new FetchSnippet(),
            new PythonSnippet(),
            new PowerShellSnippet(),
            new JavaSnippet(),
            new PostmanCollection());

    private Snippets() {}

    /** Snippets in every language for {@code request}, already validated by its constructor. */
    public static SnippetSet generate(SnippetRequest request) {
        Map<Language, String> snippets = new EnumMap<>(Language.class);
        Map<Language, String> unavailable = new EnumMap<>(Language.class);
        for (Generator generator : GENERATORS) {
            Generated generated = generator.generate(request);
            if (generated.text() != null) {
                snippets.put(generator.language(), generated.text());
            } else {
                unavailable.put(generator.language(), generated.unavailable());
            }
        }
        return new SnippetSet(snippets, unavailable);
    }
}
