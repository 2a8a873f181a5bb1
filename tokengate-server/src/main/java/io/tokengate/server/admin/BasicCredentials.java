package io.tokengate.server.admin;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/** Basic credentials; the password as characters, to be cleared after use. */
final class BasicCredentials {
    final String user;
    final char[] password;

    private BasicCredentials(String user, char[] password) {
        this.user = user;
        this.password = password;
    }

    static Optional<BasicCredentials> parse(String header) {
        if (header.length() > 4096 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(header.substring(6).strip());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            return Optional.empty();
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        char[] all = new char[chars.remaining()];
        chars.get(all);
        Arrays.fill(chars.array(), '\0');
        int colon = -1;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) {
            Arrays.fill(all, '\0');
            return Optional.empty();
        }
        String user = new String(all, 0, colon);
        char[] password = Arrays.copyOfRange(all, colon + 1, all.length);
        Arrays.fill(all, '\0');
        if (user.chars().anyMatch(Character::isISOControl)) {
            return Optional.empty();
        }
        return Optional.of(new BasicCredentials(user, password));
    }

    @Override
    public String toString() {
        return "BasicCredentials[" + user + ", password=redacted]";
    }
}
