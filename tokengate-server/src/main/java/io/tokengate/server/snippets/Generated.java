package io.tokengate.server.snippets;

/** One generator's outcome: the snippet, or why this language cannot express the call. */
record Generated(String text, String unavailable) {
    Generated {
        if ((text == null) == (unavailable == null)) {
            throw new IllegalArgumentException("exactly one of text and unavailable must be given");
        }
    }

    static Generated ok(String text) {
        return new Generated(text, null);
    }

    static Generated unavailable(String reason) {
        return new Generated(null, reason);
    }

    @Override
    public String toString() {
        return text == null ? "Generated[unavailable: " + unavailable + "]" : "Generated[" + text.length() + " chars]";
    }
}
