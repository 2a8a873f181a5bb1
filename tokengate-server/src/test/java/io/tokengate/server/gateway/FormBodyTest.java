package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FormBodyTest {
    private static final UpstreamIdentity IDENTITY = UpstreamIdentity.header("X-Forwarded-User");

    private static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** What the gateway refuses in {@code body}, as it refuses parameters in a query. */
    private static Optional<RequestScreen.Refusal> screen(String body, RefusedNames refused) {
        return new RequestScreen(IDENTITY, refused).screen(FormBody.names(bytes(body)), FormBody.WHERE);
    }

    @Test
    void namesAreDecodedAsTomcatDecodesThem() {
        assertThat(FormBody.names(bytes("a=1&b+c=2&%6Fs%5Fusername=x&d&=e&&f=g=h")))
                .containsExactly("a", "b c", "os_username", "d", "f");
    }

    /** A bad escape stays as written: Tomcat skips such a parameter, and it spells no name looked for. */
    @Test
    void aBadEscapeStaysAsWritten() {
        assertThat(FormBody.names(bytes("%zz=1&%4=2&x%=3"))).containsExactly("%zz", "%4", "x%");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"os_username=bob", "body=hi&OS_PASSWORD=x", "%6Fs_password=x", "oauth_token=t", "_method=DELETE"
            })
    void refusedParametersInAFormBodyAreRefused(String body) {
        assertThat(screen(body, RefusedNames.NONE)).hasValueSatisfying(refusal -> {
            assertThat(refusal.status()).isEqualTo(400);
            assertThat(refusal.message()).contains("not accepted in a form body");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"body=os_username", "os_usernames=x", "username=bob&password=x", "", "&&"})
    void otherFormBodiesPass(String body) {
        assertThat(screen(body, RefusedNames.NONE)).isEmpty();
    }

    @Test
    void parametersAnAdministratorRefusesAreRefusedInAFormBodyToo() {
        RefusedNames refused = new RefusedNames(Set.of(), Set.of("runAs"));
        assertThat(screen("body=hi&RUNAS=bob", refused)).hasValueSatisfying(refusal -> {
            assertThat(refusal.status()).isEqualTo(400);
            assertThat(refusal.message())
                    .isEqualTo("The parameter RUNAS is refused by this gateway in a form body"
                            + " (gateway.refused.parameters).");
        });
        assertThat(screen("body=runAs&runAsUser=bob", refused)).isEmpty();
    }

    @Test
    void onlyUrlEncodedFormsAreRead() {
        assertThat(FormBody.declared(HttpFields.build().add("Content-Type", "Application/X-WWW-Form-Urlencoded")))
                .isTrue();
        assertThat(FormBody.declared(HttpFields.build()
                        .add("Content-Type", "application/json")
                        .add("Content-Type", "application/x-www-form-urlencoded")))
                .as("a second field, which another reader may take")
                .isTrue();
        assertThat(FormBody.declared(HttpFields.build().add("Content-Type", "multipart/form-data; boundary=x")))
                .as("attachments are not read")
                .isFalse();
        assertThat(FormBody.declared(HttpFields.build())).isFalse();
    }

    @Test
    void aCharsetWhoseLettersAreNotAsciisIsNotRead() {
        for (String charset : new String[] {"UTF-8", "utf8", "ISO-8859-1", "latin1", "US-ASCII", "windows-1252"}) {
            assertThat(FormBody.unreadable(form(charset), 10, 1024)).as(charset).isEmpty();
        }
        for (String charset : new String[] {"UTF-16", "UTF-32", "IBM037", "no-such-charset", "", "\"utf-8;x\""}) {
            assertThat(FormBody.unreadable(form(charset), 10, 1024))
                    .as(charset)
                    .hasValueSatisfying(refusal -> assertThat(refusal.status()).isEqualTo(415));
        }
    }

    @Test
    void aFormLongerThanTheInspectionMaximumIsNotRead() {
        assertThat(FormBody.unreadable(HttpFields.build(), 1025, 1024))
                .hasValueSatisfying(refusal -> assertThat(refusal.status()).isEqualTo(413));
        assertThat(FormBody.unreadable(HttpFields.build(), 1024, 1024)).isEmpty();
    }

    private static HttpFields form(String charset) {
        return HttpFields.build().add("Content-Type", "application/x-www-form-urlencoded; charset=" + charset);
    }
}
