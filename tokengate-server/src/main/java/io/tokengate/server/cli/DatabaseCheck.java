package io.tokengate.server.cli;

import io.tokengate.core.TokengateException;
import io.tokengate.server.config.TokengateConfig;
import io.tokengate.store.Database;
import io.tokengate.store.DatabaseHeldException;
import io.tokengate.store.KeyCheck;
import io.tokengate.store.KeyFile;
import io.tokengate.store.TokenInventory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code config check}'s look at the key file and the database, as a start would find them: the
 * key file reads, the database answers and takes it, and no stored token would be refused. Nothing
 * is written: a new database records no key.
 */
final class DatabaseCheck {
    private DatabaseCheck() {}

    /** @return whether the key file is absent or reads well: then the database can be checked against it */
    static boolean checkKeyFile(TokengateConfig config, List<String> problems) {
        Path key = config.store().keyFilePath();
        if (!Files.exists(key)) {
            return true;
        }
        try {
            KeyFile.load(key);
            return true;
        } catch (TokengateException e) {
            problems.add(e.getMessage());
            return false;
        }
    }

    /**
     * Whether the database answers, takes the key file a start would take (the same check,
     * without recording a key in a new database), and holds no tokens that would be refused.
     * An embedded database that does not exist yet is left for the first start to make.
     *
     * @return whether the database refused the key file, or needs the one that is missing
     */
    static boolean checkDatabase(
            TokengateConfig config, boolean keyFileReadable, List<String> problems, List<String> warnings) {
        if (config.store().dbUrl() == null && !Database.embeddedExists(config.home())) {
            warnings.add("database " + Database.embeddedDirectory(config.home())
                    + " does not exist yet: it is created on first start");
            return false;
        }
        boolean keyRefused = false;
        try (Database db = Database.open(config.store())) {
            db.requireAnswer(Duration.ofSeconds(5));
            if (keyFileReadable) {
                Optional<String> mismatch = KeyCheck.mismatch(db, config.store().keyFilePath());
                mismatch.ifPresent(problems::add);
                keyRefused = mismatch.isPresent();
            }
            checkTokens(db, warnings);
        } catch (DatabaseHeldException e) {
            // The server serving this home: checking a change to the settings before its
            // restart is what config check is for, so this is not a problem of the settings.
            warnings.add("database " + Database.embeddedDirectory(config.home()) + " not checked: the server"
                    + " running on this home holds it (one process at a time); the settings were checked, and"
                    + " a start checks the database");
        } catch (TokengateException e) {
            problems.add("database: " + e.getMessage());
        }
        return keyRefused;
    }

    /** Tokens whose limits an earlier version saved and this one refuses: before anyone's calls fail. */
    private static void checkTokens(Database db, List<String> warnings) {
        List<TokenInventory.Unusable> unusable;
        try {
            unusable = TokenInventory.withLimitsThatNoLongerParse(db, Instant.now());
        } catch (TokengateException e) {
            return; // no tokens yet: the schema is made at the first start
        }
        for (TokenInventory.Unusable token : unusable) {
            warnings.add("token " + token.id() + " (" + token.name() + ") is refused at every use: its limits"
                    + " no longer parse (" + token.problem() + "); edit them (in secure mode, revoke the token and"
                    + " make another)");
        }
    }
}
