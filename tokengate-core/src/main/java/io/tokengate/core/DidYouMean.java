package io.tokengate.core;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Suggests the closest known word for a misspelt one, for error messages. */
public final class DidYouMean {
    private DidYouMean() {}

    /**
     * The candidate closest to {@code word} (case-insensitive edit distance, or the same letters
     * in another order), when it is close enough to be a likely typo.
     */
    public static Optional<String> closest(String word, Collection<String> candidates) {
        String needle = word.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            String lower = candidate.toLowerCase(Locale.ROOT);
            int distance = sameLetters(needle, lower) ? 1 : distance(needle, lower);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        int tolerance = Math.max(1, Math.min(2, needle.length() / 4));
        return bestDistance > 0 && bestDistance <= tolerance ? Optional.of(best) : Optional.empty();
    }

    private static boolean sameLetters(String a, String b) {
        if (a.length() != b.length() || a.equals(b)) {
            return false;
        }
        char[] x = a.toCharArray();
        char[] y = b.toCharArray();
        java.util.Arrays.sort(x);
        java.util.Arrays.sort(y);
        return java.util.Arrays.equals(x, y);
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
