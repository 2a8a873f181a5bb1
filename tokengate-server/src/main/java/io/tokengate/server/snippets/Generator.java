package io.tokengate.server.snippets;

/** Writes one language's snippet; pure, and safe for any valid {@link SnippetRequest}. */
interface Generator {
    Language language();

    Generated generate(SnippetRequest request);
}
