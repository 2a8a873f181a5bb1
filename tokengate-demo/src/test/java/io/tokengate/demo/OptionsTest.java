package io.tokengate.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {
    private final DemoJira.Options defaults = DemoJira.Options.defaults();

    @Test
    void defaultsAreAnyPortNoContextHeaderIdentityNoFaults() {
        assertThat(defaults.port()).isZero();
        assertThat(defaults.contextPath()).isEmpty();
        assertThat(defaults.identity().toString()).isEqualTo("Identity[header X-Forwarded-User]");
        assertThat(defaults.faultEndpoints()).isFalse();
        assertThat(defaults.users()).extracting(DemoUser::name).containsExactly("admin", "ansible", "alice", "bob");
        assertThat(defaults.users().get(1).email()).isEqualTo("ansible@ansible.jira.pl");
        assertThat(defaults.recordedBodyLimit()).isEqualTo(4 << 20);
    }

    @Test
    void eachSetterChangesOnlyItsOwnValueOfACopy() {
        Clock clock = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
        DemoJira.Options changed = defaults.port(8090)
                .contextPath("/jira")
                .identity(Identity.serviceAccount("svc", "pw"))
                .faultEndpoints(true)
                .recordedBodyLimit(10)
                .clock(clock);

        assertThat(changed.port()).isEqualTo(8090);
        assertThat(changed.contextPath()).isEqualTo("/jira");
        assertThat(changed.identity().toString()).isEqualTo("Identity[service account svc]");
        assertThat(changed.faultEndpoints()).isTrue();
        assertThat(changed.recordedBodyLimit()).isEqualTo(10);
        assertThat(changed.clock()).isSameAs(clock);
        assertThat(changed.users()).isEqualTo(defaults.users());
    }

    @Test
    void addUserAppendsAndUsersReplaces() {
        DemoUser carol = new DemoUser("carol", "pw", "carol@example.com", "Carol", false);

        assertThat(defaults.addUser(carol).users()).hasSize(5).endsWith(carol);
        assertThat(defaults.users(List.of(carol)).users()).containsExactly(carol);
    }

    @Test
    void rejectsBadValuesNamingThem() {
        assertThatThrownBy(() -> defaults.port(70000)).hasMessageContaining("70000");
        assertThatThrownBy(() -> defaults.contextPath("/jira/")).hasMessageContaining("\"/jira/\"");
        assertThatThrownBy(() -> defaults.contextPath("jira")).hasMessageContaining("like \"/jira\"");
        assertThatThrownBy(() -> defaults.recordedBodyLimit(-1)).hasMessageContaining("-1");
        assertThatThrownBy(() -> defaults.addUser(new DemoUser("ADMIN", "x", "other@example.com", "Other", false)))
                .hasMessageContaining("'ADMIN'");
        assertThatThrownBy(() -> defaults.addUser(new DemoUser("other", "x", "bob@example.com", "Other", false)))
                .hasMessageContaining("'bob@example.com'");
        assertThatThrownBy(() -> defaults.identity(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void demoUsersValidateAndNeverPrintTheirPassword() {
        DemoUser user = new DemoUser("carol", "hunter2", "carol@example.com", "Carol", false);

        assertThat(user.toString()).contains("carol").doesNotContain("hunter2");
        assertThatThrownBy(() -> new DemoUser("a:b", "pw", "e@x", "A", false)).hasMessageContaining("':'");
        assertThatThrownBy(() -> new DemoUser(" ", "pw", "e@x", "A", false)).hasMessageContaining("name");
    }
}
