package io.tokengate.core.token;

/**
 * What a token's secret is read back for (standard mode keeps an encrypted copy for both). A
 * refusal names the use the user asked for, not another: whoever asked for code snippets is not
 * told that viewing the secret was refused, and is told what to do instead.
 */
enum SecretUse {
    /** The secret itself, shown again. */
    SHOWN {
        @Override
        SecureModeException inSecureMode(TokenId id) {
            return new SecureModeException(
                    "Viewing the secret of token " + id,
                    "a token's secret is shown only once, at creation or rotation. Rotate the token for a new secret,"
                            + " shown once (the old one stops working at once).");
        }

        @Override
        TokenStateException revoked(TokenId id) {
            return new TokenStateException("token " + id + " is revoked; its secret is not shown");
        }

        @Override
        TokenStateException notStored(TokenId id) {
            return new TokenStateException("the secret of token " + id + " is not stored (" + NOT_STORED_WHY
                    + "); rotate the token to get a new secret");
        }
    },

    /** Code snippets of a call with the token, which hold its secret. */
    SNIPPETS {
        @Override
        SecureModeException inSecureMode(TokenId id) {
            return new SecureModeException(
                    "Making code snippets for token " + id,
                    "snippets hold the token's secret, which is shown only once, at creation or rotation. Write the"
                            + " call with the secret saved then, or rotate the token for a new secret, shown once"
                            + " (the old one stops working at once).");
        }

        @Override
        TokenStateException revoked(TokenId id) {
            return new TokenStateException("token " + id + " is revoked; no code snippets are made for it, as its"
                    + " secret no longer works");
        }

        @Override
        TokenStateException notStored(TokenId id) {
            return new TokenStateException("code snippets for token " + id + " need its secret, which is not stored ("
                    + NOT_STORED_WHY + "); rotate the token to get a new secret, and snippets with it");
        }
    };

    private static final String NOT_STORED_WHY = "secure mode erased it, or it was made while secure mode was on";

    /** Secure mode refuses this use. */
    abstract SecureModeException inSecureMode(TokenId id);

    /** The token is revoked: its secret is of no use to anyone. */
    abstract TokenStateException revoked(TokenId id);

    /** Standard mode, but no copy of this token's secret is stored. */
    abstract TokenStateException notStored(TokenId id);
}
