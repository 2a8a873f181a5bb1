package io.tokengate.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokengate.core.limits.LimitsSyntaxException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The field checks shared by creation and edits. The store's {@code TokenServiceIT} drives them
 * through the service; these pin their bounds where no database is needed.
 */
class TokenFieldsTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void namesAndUsersAreStrippedAndBoundedInLength() {
        assertThat(TokenFields.name("  CI job \t")).isEqualTo("CI job");
        assertThat(TokenFields.name("n".repeat(200))).hasSize(200);
        assertThatThrownBy(() -> TokenFields.name("n".repeat(201)))
                .isInstanceOf(InvalidTokenSpecException.class)
                .hasMessage("name: is 201 characters long (at most 200)");
        assertThat(TokenFields.user("u".repeat(255))).hasSize(255);
        assertThatThrownBy(() -> TokenFields.user("u".repeat(256)))
                .hasMessage("user: is 256 characters long (at most 255)");
        assertThatThrownBy(() -> TokenFields.createdBy(" ")).hasMessage("createdBy: must not be blank");
        assertThatThrownBy(() -> TokenFields.name(null)).hasMessage("name: must not be blank");
    }

    /** A form with several wrong fields is corrected in one go: each field's problem comes back. */
    @Test
    void everyWrongFieldOfANewOrEditedTokenIsReportedAtOnce() {
        TokenSpec spec = TokenSpec.bound("n".repeat(201), "alice", "root")
                .withExpiry(Expiry.inDays(40))
                .withLimits("[get].*/rest/(")
                .withRateLimit("lots");
        TokenPolicy capped = new TokenPolicy(false, 30);
        assertThatThrownBy(() -> TokenFields.checked(spec, NOW, capped))
                .isInstanceOfSatisfying(InvalidTokenFieldsException.class, e -> assertThat(e.problems())
                        .extracting(Throwable::getMessage)
                        .satisfiesExactly(
                                name -> assertThat(name).startsWith("name: is 201 characters"),
                                expiry -> assertThat(expiry).startsWith("daysUntilExpiry: expiry "),
                                limits -> assertThat(limits).startsWith("line 1, column "),
                                rate -> assertThat(rate).startsWith("rateLimit: ")))
                .hasMessageStartingWith("name: is 201 characters long (at most 200); daysUntilExpiry: ");
        assertThatThrownBy(() -> TokenFields.checked(spec.withRateLimit(""), NOW, TokenPolicy.standard()))
                .as("one field at fault fails as it always did")
                .isInstanceOf(InvalidTokenFieldsException.class)
                .hasMessageNotContaining("daysUntilExpiry");
        assertThatThrownBy(
                        () -> TokenFields.checked(spec.withLimits("").withRateLimit(""), NOW, TokenPolicy.standard()))
                .isExactlyInstanceOf(InvalidTokenSpecException.class)
                .hasMessageStartingWith("name: ");

        FieldChecks checks = new FieldChecks();
        TokenFields.checked(
                new TokenEdit(
                        Optional.of(" "),
                        Optional.of("("),
                        Optional.empty(),
                        Optional.of("10.0.0.300"),
                        Optional.empty()),
                checks);
        assertThatThrownBy(checks::throwIfAny)
                .isInstanceOfSatisfying(InvalidTokenFieldsException.class, e -> assertThat(e.problems())
                        .hasSize(3));
    }

    @Test
    void aBoundUserCannotHoldTheColonThatEndsABasicUserName() {
        assertThat(TokenFields.user("alice@example.com")).isEqualTo("alice@example.com");
        assertThatThrownBy(() -> TokenFields.user("ci:bot"))
                .hasMessage("user: 'ci:bot' contains ':', which a Basic user name cannot contain");
        assertThatThrownBy(() -> TokenFields.user(":bot")).hasMessageContaining("contains ':'");
    }

    @Test
    void textShownInListsHoldsNoSecretAndNothingInvisible() {
        String secret = TokenSecret.generate(new SecureRandom()).reveal();
        assertThatThrownBy(() -> TokenFields.name("mine " + secret))
                .hasMessage("name: contains a token secret; never put a secret here");
        assertThatThrownBy(() -> TokenFields.limits(".*/" + secret))
                .hasMessage("limits: contains a token secret; never put a secret here");
        assertThatThrownBy(() -> TokenFields.name("read\u202EJRA")).hasMessageStartingWith("name: contains ");
        assertThatThrownBy(() -> TokenFields.limits("[GET|POST .*")).isInstanceOf(LimitsSyntaxException.class);
        assertThat(TokenFields.limits("[GET].*/x\n")).isEqualTo("[GET].*/x\n");
    }

    @Test
    void anExpiryMustLieInTheFutureAndWithinTheLifetimeCap() {
        TokenPolicy capped = new TokenPolicy(false, 90);
        assertThatThrownBy(() -> TokenFields.expiry(Expiry.at(NOW), NOW, NOW, TokenPolicy.standard()))
                .isInstanceOf(InvalidTokenSpecException.class)
                .hasMessageStartingWith("expiresAt: expiry 2026-11-30T12:00:00Z is not in the future");
        assertThat(TokenFields.expiry(Expiry.never(), NOW, NOW, TokenPolicy.standard()))
                .isNull();
        Instant latest = NOW.plus(Duration.ofDays(90));
        assertThat(TokenFields.expiry(Expiry.at(latest), NOW, NOW, capped)).isEqualTo(latest);
        assertThat(TokenFields.expiry(Expiry.inDays(90), NOW, NOW, capped)).isEqualTo(latest);
        assertThatThrownBy(() -> TokenFields.expiry(Expiry.inDays(91), NOW, NOW, capped))
                .hasMessageStartingWith("daysUntilExpiry: expiry 2027-03-01T12:00:00Z is beyond the 90-day limit")
                .hasMessageEndingWith("(latest expiry: " + latest + ")");
        assertThatThrownBy(() -> TokenFields.expiry(Expiry.never(), NOW, NOW, capped))
                .hasMessageContaining("a token that never expires is not allowed");
        Instant created = NOW.minus(Duration.ofDays(10));
        assertThatThrownBy(() -> TokenFields.expiry(Expiry.inDays(90), NOW, created, capped))
                .as("the cap counts from creation")
                .hasMessageContaining("(latest expiry for a token created " + created + ": "
                        + created.plus(Duration.ofDays(90)) + ")");
    }

    @Test
    void expiryInDaysAndThePolicyAreBounded() {
        assertThat(Expiry.inDays(1).resolve(NOW)).isEqualTo(NOW.plus(Duration.ofDays(1)));
        assertThat(Expiry.inDays(Expiry.MAX_DAYS)).isNotNull();
        assertThatThrownBy(() -> Expiry.inDays(0)).hasMessage("daysUntilExpiry must be from 1 to 36500, got 0");
        assertThatThrownBy(() -> Expiry.inDays(Expiry.MAX_DAYS + 1)).hasMessageEndingWith("got 36501");
        assertThat(new TokenPolicy(true, Expiry.MAX_DAYS).maxLifetimeDays()).isEqualTo(36_500);
        assertThatThrownBy(() -> new TokenPolicy(false, -1)).hasMessageContaining("from 0 (unlimited) to 36500");
        assertThatThrownBy(() -> new TokenPolicy(false, Expiry.MAX_DAYS + 1)).hasMessageEndingWith("got 36501");
    }
}
