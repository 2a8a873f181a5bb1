package io.tokengate.server.admin;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The oracle itself: it must refuse what the document does not allow, or the ITs prove nothing. */
class OpenApiContractTest {
    private final OpenApiContract contract = new OpenApiContract();
    private static final String ME = "{\"name\":\"a\",\"role\":\"admin\",\"source\":\"local\",\"secureMode\":false,"
            + "\"gatewayUrl\":\"https://gw.example.com\",\"upstreamIdentity\":\"header\",\"csrfToken\":null}";

    @Test
    void acceptsADocumentedResponse() {
        assertThatCode(() -> contract.check("GET", "/api/v1/me", 200, "application/json;charset=utf-8", ME))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesWrongTypesMissingAndExtraMembers() {
        assertThatThrownBy(() -> contract.check(
                        "GET", "/api/v1/me", 200, "application/json", ME.replace("\"name\":\"a\"", "\"name\":1")))
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> contract.check(
                        "GET", "/api/v1/me", 200, "application/json", ME.replace("\"role\":\"admin\",", "")))
                .hasMessageContaining("does not match");
        assertThatThrownBy(() ->
                        contract.check("GET", "/api/v1/me", 200, "application/json", ME.replace("}", ",\"extra\":1}")))
                .hasMessageContaining("does not match");
    }

    @Test
    void refusesUndocumentedStatusesMediaTypesAndPaths() {
        assertThatThrownBy(() -> contract.check("GET", "/api/v1/me", 418, "application/json", ME))
                .hasMessageContaining("does not document");
        assertThatThrownBy(() -> contract.check("GET", "/api/v1/me", 200, "text/html", "<p>"))
                .hasMessageContaining("text/html");
        assertThatThrownBy(() -> contract.check("GET", "/api/v1/nowhere", 200, "application/json", "{}"))
                .hasMessageContaining("no path");
        assertThatThrownBy(() -> contract.check("PUT", "/api/v1/me", 200, "application/json", ME))
                .hasMessageContaining("no PUT");
    }

    @Test
    void validatesNestedReferencesAndSecretsShape() {
        String token = "{\"id\":\"tok_abcdefghijklmnop\",\"name\":\"n\",\"user\":null,\"unbound\":true,"
                + "\"createdBy\":\"a\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"expiresAt\":null,\"status\":\"active\","
                + "\"revokedAt\":null,\"limits\":\"\",\"allowedIps\":[],\"rateLimit\":null,\"lastUsedAt\":null,"
                + "\"lastUsedIp\":null,"
                + "\"useCount\":0,\"hint\":\"tgk_…abcd\"}";
        assertThatCode(() ->
                        contract.check("GET", "/api/v1/tokens/tok_abcdefghijklmnop", 200, "application/json", token))
                .doesNotThrowAnyException();
        String rated = token.replace("\"rateLimit\":null", "\"rateLimit\":\"100/min\"");
        assertThatCode(() ->
                        contract.check("GET", "/api/v1/tokens/tok_abcdefghijklmnop", 200, "application/json", rated))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> contract.check(
                        "GET",
                        "/api/v1/tokens/tok_abcdefghijklmnop",
                        200,
                        "application/json",
                        token.replace("\"rateLimit\":null", "\"rateLimit\":\"100 per minute\"")))
                .as("a rate limit is shown in its canonical form")
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> contract.check(
                        "GET",
                        "/api/v1/tokens/tok_abcdefghijklmnop",
                        200,
                        "application/json",
                        token.replace("}", ",\"token\":\"tgk_x\"}")))
                .as("GET never shows a secret")
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> contract.check(
                        "POST", "/api/v1/tokens", 201, "application/json", token.replace("\"active\"", "\"sleeping\"")))
                .hasMessageContaining("does not match");
    }
}
