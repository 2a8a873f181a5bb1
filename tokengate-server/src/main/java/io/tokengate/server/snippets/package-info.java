/**
 * Ready-to-run code for a token and a sample call: curl, JavaScript {@code fetch}, Python
 * {@code requests}, PowerShell, a single-file Java {@code HttpClient} program and a Postman
 * collection. {@link io.tokengate.server.snippets.Snippets#generate(SnippetRequest)} is a pure
 * function: no I/O, no clock. Every value (URL, user, secret, body, content type) is written as a
 * literal of the target language that evaluates to exactly that value, whatever it contains, so a
 * hostile value can neither break the snippet nor run code; characters that would hide on screen
 * (controls, bidirectional overrides, zero-width characters) are written as escapes where the
 * language has them. Secure mode refuses snippets; the admin API enforces that through the token
 * service before it calls the generator, which knows nothing of modes.
 */
package io.tokengate.server.snippets;
