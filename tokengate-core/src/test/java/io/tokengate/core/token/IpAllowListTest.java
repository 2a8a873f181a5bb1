package io.tokengate.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpAllowListTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void emptyAllowsAny() throws Exception {
        assertThat(IpAllowList.parse(null).allows(ip("203.0.113.9"))).isTrue();
        assertThat(IpAllowList.parse("  ").isAny()).isTrue();
        assertThat(IpAllowList.any().toString()).isEmpty();
    }

    /** Separators without an entry are a list gone empty in a script, never "any address". */
    @Test
    void separatorsAloneAreRefusedNotTakenForAny() {
        for (String text : new String[] {",", " , ,", "\n,"}) {
            assertThatThrownBy(() -> IpAllowList.parse(text))
                    .as("'%s'", text)
                    .isInstanceOf(IpAllowListSyntaxException.class)
                    .hasMessageContaining("no address or CIDR block");
        }
    }

    @Test
    void matchesIpv4AndIpv6Blocks() throws Exception {
        IpAllowList list = IpAllowList.parse("10.0.0.0/8, 192.168.1.7\n2001:db8::/32  0.0.0.0/32");
        assertThat(list.allows(ip("10.255.0.1"))).isTrue();
        assertThat(list.allows(ip("11.0.0.1"))).isFalse();
        assertThat(list.allows(ip("192.168.1.7"))).isTrue();
        assertThat(list.allows(ip("192.168.1.8"))).isFalse();
        assertThat(list.allows(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(list.allows(ip("2001:db9::1"))).isFalse();
        assertThat(list.allows(ip("::ffff:10.1.2.3"))).as("IPv4-mapped client").isTrue();
        assertThat(list.entries()).containsExactly("10.0.0.0/8", "192.168.1.7", "2001:db8::/32", "0.0.0.0/32");
        assertThat(IpAllowList.parse(list.toString())).isEqualTo(list);
    }

    @Test
    void prefixesThatSplitAByteMaskTheRightBits() throws Exception {
        IpAllowList v4 = IpAllowList.parse("172.16.0.0/12");
        assertThat(v4.allows(ip("172.16.0.0"))).isTrue();
        assertThat(v4.allows(ip("172.31.255.255"))).isTrue();
        assertThat(v4.allows(ip("172.32.0.0"))).isFalse();
        assertThat(v4.allows(ip("172.15.255.255"))).isFalse();
        IpAllowList v6 = IpAllowList.parse("2001:db8:8000::/33");
        assertThat(v6.allows(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(v6.allows(ip("2001:db8:7fff::1"))).isFalse();
    }

    @Test
    void acceptsEveryAddressCharacterAndTheLargestValues() throws Exception {
        assertThat(IpAllowList.parse("255.255.255.255").allows(ip("255.255.255.255")))
                .isTrue();
        assertThat(IpAllowList.parse("fA09:90aF::/32").allows(ip("fa09:90af::1")))
                .isTrue();
        String longest = "1111:2222:3333:4444:5555:6666:255.255.255.255";
        assertThat(longest).hasSize(45);
        assertThat(IpAllowList.parse(longest).allows(ip(longest))).isTrue();
    }

    @Test
    void acceptsListsRightAtTheirBounds() {
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < IpAllowList.MAX_ENTRIES; i++) {
            entries.append("10.0.").append(i / 256).append('.').append(i % 256).append(' ');
        }
        assertThat(IpAllowList.parse(entries.toString()).entries()).hasSize(IpAllowList.MAX_ENTRIES);
        assertThatThrownBy(() -> IpAllowList.parse(entries + "10.9.9.9"))
                .hasMessage("more than 1000 allowed IP entries");
        String longest = "10.0.0.1" + " ".repeat(IpAllowList.MAX_LENGTH - 8);
        assertThat(IpAllowList.parse(longest).entries()).containsExactly("10.0.0.1");
        assertThatThrownBy(() -> IpAllowList.parse(longest + " "))
                .hasMessage("allowed IPs are 65537 characters long (at most 65536)");
    }

    @Test
    void listsAreEqualWhenTheirBlocksAre() {
        IpAllowList list = IpAllowList.parse("10.0.0.0/8");
        assertThat(list.isAny()).isFalse();
        assertThat(list)
                .isEqualTo(IpAllowList.parse(" 10.0.0.0/8 ,"))
                .hasSameHashCodeAs(IpAllowList.parse("10.0.0.0/8"))
                .isNotEqualTo(IpAllowList.parse("11.0.0.0/8"))
                .isNotEqualTo(IpAllowList.parse("10.0.0.0/9"))
                .isNotEqualTo(IpAllowList.any());
    }

    @Test
    void zeroPrefixMatchesItsWholeFamily() throws Exception {
        IpAllowList v4 = IpAllowList.parse("0.0.0.0/0");
        assertThat(v4.allows(ip("8.8.8.8"))).isTrue();
        assertThat(v4.allows(ip("::1"))).isFalse();
        assertThat(IpAllowList.parse("::/0").allows(ip("::1"))).isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "10.0.0.300|entry 1 '10.0.0.300': 300 is not an IPv4 octet (0-255)",
                "10.0.0.1, 010.0.0.1|entry 2 '010.0.0.1': '010' has a leading zero (ambiguous: octal or decimal?)",
                "jira.example.com|entry 1 'jira.example.com': not an IP address",
                "localhost|entry 1 'localhost': not an IP address",
                "10.0.0|entry 1 '10.0.0': not an IP address",
                "10.1.0.0/8|entry 1 '10.1.0.0/8': host bits are set after the first 8 bits (did you mean 10.0.0.0/8?)",
                "2001:db8::1/32|(did you mean 2001:db8::/32?)",
                "10.0.0.0/33|prefix length must be a number from 0 to 32",
                "10.0.0.0/08|prefix length must be a number from 0 to 32",
                "2001:db8::/129|prefix length must be a number from 0 to 128",
                "fe80::1%eth0|zone ids are not accepted",
                "1::2::3|'::' may appear only once",
                "::1::2|'::' may appear only once",
                "::ffff:10.0.0.1|IPv4-mapped IPv6 address",
                "2001:db8:g::1|unexpected character 'g'",
                "1:2:3:4:5:6:7:8:9|not a valid IP address",
            })
    void rejectsWithClearMessages(String text, String message) {
        assertThatThrownBy(() -> IpAllowList.parse(text))
                .isInstanceOf(IpAllowListSyntaxException.class)
                .hasMessageContaining(message);
    }

    @Test
    void saysWhyOneAddressIsNotAnAddressLiteral() {
        assertThat(IpAllowList.addressProblem("10.0.0.1")).isEmpty();
        assertThat(IpAllowList.addressProblem("::1")).isEmpty();
        assertThat(IpAllowList.addressProblem("jira.example.com"))
                .hasValueSatisfying(p -> assertThat(p).startsWith("not an IP address"));
        assertThat(IpAllowList.addressProblem("10.0.0.01"))
                .contains("'01' has a leading zero (ambiguous: octal or decimal?)");
        assertThat(IpAllowList.addressProblem("10.0.0.x")).contains("'x' is not an IPv4 octet (0-255)");
        assertThat(IpAllowList.addressProblem("1::2::3")).contains("'::' may appear only once in an IPv6 address");
        assertThat(IpAllowList.addressProblem("1:".repeat(23) + "1")).contains("too long for an IPv6 address");
    }

    @Test
    void compressesIpv6ForSuggestions() {
        assertThat(IpAllowList.compress("2001:db8:0:0:0:0:0:0")).isEqualTo("2001:db8::");
        assertThat(IpAllowList.compress("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(IpAllowList.compress("1:2:3:4:5:6:7:8")).isEqualTo("1:2:3:4:5:6:7:8");
        assertThat(IpAllowList.compress("1:0:0:1:1:0:0:1"))
                .as("of two runs as long, the first")
                .isEqualTo("1::1:1:0:0:1");
        assertThat(IpAllowList.compress("1:0:0:0:1:0:0:1")).isEqualTo("1::1:0:0:1");
    }
}
