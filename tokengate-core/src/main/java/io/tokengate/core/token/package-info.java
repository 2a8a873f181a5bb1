/**
 * Token secrets: generation in the {@code tgk_} format with an offline-checkable CRC32 checksum,
 * keyed digests for storage and lookup, and value types that never print a secret.
 */
package io.tokengate.core.token;
