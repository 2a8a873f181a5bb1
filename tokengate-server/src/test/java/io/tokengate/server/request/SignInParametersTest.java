package io.tokengate.server.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.request.QueryString;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SignInParametersTest {
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "os_password=hunter2 | os_password=REDACTED",
                "a=1&os_password=hunter2&b=2 | a=1&os_password=REDACTED&b=2",
                "OS_Password=hunter2 | OS_Password=REDACTED",
                "os%5Fpassword=hunter2&jql=a%20b | os%5Fpassword=REDACTED&jql=a%20b",
                "jql=a%20b&%6F%73_PASSWORD=hunter2 | jql=a%20b&%6F%73_PASSWORD=REDACTED",
                "os_password=a=b&&os_password= | os_password=REDACTED&&os_password=REDACTED",
                "os_password=x&os_password=y | os_password=REDACTED&os_password=REDACTED",
            })
    void aPasswordsValueIsReplaced(String raw, String audited) {
        assertThat(SignInParameters.redacted(raw)).isEqualTo(audited);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "jql=project%20%3D%20JRA&fields=summary",
                "os_passwords=x",
                "my_os_password=x",
                "os_password+=x",
                "os_password",
                "x=os_password%3Dhunter2",
                "os_pass%ZZword=x",
                "",
            })
    void anyOtherQueryIsKeptAsItIs(String raw) {
        assertThat(SignInParameters.redacted(raw)).isSameAs(raw);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "os_username=bob",
                "a=1&os_password=x",
                "%4FS%5FUSERNAME=bob",
                "OS_PASSWORD",
                "oauth_consumer_key=jira-app",
                "oauth_token=abc",
                "OAuth_Signature=xyz"
            })
    void signInParametersAreFoundByTheirDecodedNameInAnyCase(String raw) {
        assertThat(SignInParameters.parameterIn(QueryString.parse(raw).asMap().keySet()))
                .isPresent();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"username=bob", "os_user=bob", "x=os_username", "os_username_=bob", "oauth_nonce=1", "token=x"})
    void otherParametersAreNot(String raw) {
        assertThat(SignInParameters.parameterIn(QueryString.parse(raw).asMap().keySet()))
                .isEmpty();
    }
}
