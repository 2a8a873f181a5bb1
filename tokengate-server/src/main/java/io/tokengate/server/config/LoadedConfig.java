package io.tokengate.server.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A configuration read in spite of its problems ({@link ConfigLoader#read}), for {@code config
 * check}: a check that needs a setting whose value had a problem would look at the default that
 * stands in for it, and pass or fail for what nobody meant, so it asks {@link #failedAmong} first.
 *
 * @param config the configuration, defaults standing in for the {@code failed} values
 * @param problems every problem, in the order the settings were read
 * @param failed the settings whose values had a problem, or that a misspelt setting most likely
 *     meant (a file's {@code db.ulr} for {@code db.url})
 * @param fileRead whether {@code tokengate.properties} was read (or there is none): when it was
 *     not, no setting it holds is known
 * @param unusable the places in the home this process may not use (a problem each): a check there
 *     would fail for that, or take what it cannot see for absent
 */
public record LoadedConfig(
        TokengateConfig config, List<String> problems, Set<Key> failed, boolean fileRead, List<Path> unusable) {
    public LoadedConfig {
        problems = List.copyOf(problems);
        failed = Set.copyOf(failed);
        unusable = List.copyOf(unusable);
    }

    /**
     * The name of what keeps {@code needed} from being known, when something does: the first of
     * them whose value had a problem, or the settings file when it could not be read.
     */
    public Optional<String> failedAmong(Key... needed) {
        if (!fileRead) {
            return Optional.of(ConfigLoader.FILE_NAME);
        }
        return Arrays.stream(needed).filter(failed::contains).map(Key::key).findFirst();
    }

    /** The first {@linkplain #unusable unusable} place that is {@code place}, holds it or lies in it. */
    public Optional<Path> unusableAt(Path place) {
        Path at = place.toAbsolutePath().normalize();
        return unusable.stream()
                .filter(denied -> {
                    Path path = denied.toAbsolutePath().normalize();
                    return at.startsWith(path) || path.startsWith(at);
                })
                .findFirst();
    }
}
