/**
 * Tokens and their lifecycle. {@link io.tokengate.core.token.TokenSecret} generates and parses
 * secrets in the {@code tgk_} format, {@link io.tokengate.core.token.TokenDigester} digests them
 * for lookup and {@link io.tokengate.core.token.SecretCipher} encrypts the copy kept in standard
 * mode; value types never print a secret. {@link io.tokengate.core.token.TokenService} creates,
 * edits, rotates, revokes and verifies tokens, enforcing secure mode and the lifetime policy,
 * through the ports {@link io.tokengate.core.token.TokenRepository}, {@link
 * io.tokengate.core.token.TokenCache} and {@link io.tokengate.core.token.UsageSink}, which the store
 * implements.
 */
package io.tokengate.core.token;
