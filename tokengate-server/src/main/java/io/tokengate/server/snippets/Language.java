package io.tokengate.server.snippets;

import java.util.Locale;
import java.util.Optional;

/** The languages snippets are generated in, in the order they are shown. Ids are stable API. */
public enum Language {
    CURL("curl", "curl", "snippet.sh"),
    JAVASCRIPT("javascript", "JavaScript (fetch)", "snippet.js"),
    PYTHON("python", "Python (requests)", "snippet.py"),
    POWERSHELL("powershell", "PowerShell", "snippet.ps1"),
    JAVA("java", "Java (HttpClient)", "Snippet.java"),
    POSTMAN("postman", "Postman collection", "tokengate.postman_collection.json");

    private final String id;
    private final String label;
    private final String fileName;

    Language(String id, String label, String fileName) {
        this.id = id;
        this.label = label;
        this.fileName = fileName;
    }

    /** The stable id used in URLs and JSON: {@code curl}, {@code javascript}, … */
    public String id() {
        return id;
    }

    /** A name to show a person. */
    public String label() {
        return label;
    }

    /** A file name to offer when the snippet is downloaded; the Java snippet runs as {@code java Snippet.java}. */
    public String fileName() {
        return fileName;
    }

    /** The language with this id (case-insensitive); empty for anything else. */
    public static Optional<Language> byId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String wanted = id.toLowerCase(Locale.ROOT);
        for (Language language : values()) {
            if (language.id.equals(wanted)) {
                return Optional.of(language);
            }
        }
        return Optional.empty();
    }
}
