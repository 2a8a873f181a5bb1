package io.tokengate.server.snippets;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The snippets for one call, in {@link Language} order. A language that cannot express the call
 * (only Postman, for a value holding {@code {{}) is missing from {@link #snippets()} and says why
 * in {@link #unavailable()}. The texts contain the token secret: {@link #toString()} prints none.
 *
 * @param snippets language to ready-to-run text
 * @param unavailable language to the reason it has no snippet
 */
public record SnippetSet(Map<Language, String> snippets, Map<Language, String> unavailable) {
    public SnippetSet {
        snippets = Collections.unmodifiableMap(
                new EnumMap<>(snippets.isEmpty() ? new EnumMap<>(Language.class) : snippets));
        unavailable = Collections.unmodifiableMap(
                new EnumMap<>(unavailable.isEmpty() ? new EnumMap<>(Language.class) : unavailable));
        for (Language language : Language.values()) {
            if (snippets.containsKey(language) == unavailable.containsKey(language)) {
                throw new IllegalArgumentException(
                        "language " + language.id() + " needs either a snippet or a reason, not both or neither");
            }
        }
    }

    private static Map<Language, String> copy(Map<Language, String> map) {
        Map<Language, String> copy = new EnumMap<>(Language.class);
        copy.putAll(map);
        return copy;
    }

    /** The snippet in {@code language}, if it can express the call. */
    public Optional<String> get(Language language) {
        return Optional.ofNullable(snippets.get(language));
    }

    @Override
    public String toString() {
        return "SnippetSet[languages=" + snippets.keySet() + ", unavailable=" + unavailable + ", texts=redacted]";
    }
}
