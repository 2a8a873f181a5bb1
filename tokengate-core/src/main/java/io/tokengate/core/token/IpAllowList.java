package io.tokengate.core.token;

import io.tokengate.core.request.Quote;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The client addresses a token may be used from: IPv4 and IPv6 addresses and CIDR blocks. An empty
 * list allows any address.
 *
 * <pre>
 * list  = [ entry { ( "," | white space ) entry } ]
 * entry = address [ "/" prefix ]     a single address is a block of /32 (IPv4) or /128 (IPv6)
 * </pre>
 *
 * <p>Only literal addresses are accepted, checked character by character before the JDK sees
 * them, so parsing never performs a DNS lookup. A block must not have host bits set ({@code
 * 10.1.0.0/8} is rejected with a suggestion), because such an entry is usually a typo for another
 * prefix. IPv4-mapped IPv6 addresses are rejected: write the IPv4 address.
 */
public final class IpAllowList {
    /** Most entries accepted in one list. */
    public static final int MAX_ENTRIES = 1000;

    /** Longest text accepted, in characters. */
    public static final int MAX_LENGTH = 64 * 1024;

    private static final IpAllowList ANY = new IpAllowList(List.of());
    private final List<Block> blocks;

    private IpAllowList(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /** The list that allows every address. */
    public static IpAllowList any() {
        return ANY;
    }

    /**
     * Parses a list such as {@code "10.0.0.0/8, 192.168.1.7, 2001:db8::/32"}; null or blank text
     * gives {@link #any()}.
     *
     * @throws IpAllowListSyntaxException naming the first entry that is not a literal address or
     *     block
     */
    public static IpAllowList parse(String text) {
        if (text == null || text.isBlank()) {
            return ANY;
        }
        if (text.length() > MAX_LENGTH) {
            throw new IpAllowListSyntaxException(
                    "allowed IPs are " + text.length() + " characters long (at most " + MAX_LENGTH + ")");
        }
        List<Block> blocks = new ArrayList<>();
        int number = 0;
        for (String entry : text.trim().split("[,\\s]+")) {
            if (entry.isEmpty()) {
                continue;
            }
            number++;
            if (number > MAX_ENTRIES) {
                throw new IpAllowListSyntaxException("more than " + MAX_ENTRIES + " allowed IP entries");
            }
            blocks.add(Block.parse(number, entry));
        }
        if (blocks.isEmpty()) {
            // Separators only: a list gone empty in a script, not a wish for any address.
            throw new IpAllowListSyntaxException(
                    "no address or CIDR block in '" + text.strip() + "' (give none at all for any address)");
        }
        return new IpAllowList(blocks);
    }

    /**
     * Why {@code text} is not one IP address literal (an IPv4 dotted quad, or an IPv6 address
     * without a zone), as {@link #parse} says it of an entry; empty when it has the shape of one.
     * Text with that shape is parsed by the JDK without DNS.
     */
    public static Optional<String> addressProblem(String text) {
        return Optional.ofNullable(text.indexOf(':') >= 0 ? checkIpv6(text) : checkIpv4(text));
    }

    /** Whether a client at {@code address} may use the token. */
    public boolean allows(InetAddress address) {
        Objects.requireNonNull(address, "address");
        if (blocks.isEmpty()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        for (Block block : blocks) {
            if (block.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    public boolean isAny() {
        return blocks.isEmpty();
    }

    /** The entries as written, one string each. */
    public List<String> entries() {
        return blocks.stream().map(Block::source).toList();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IpAllowList that && blocks.equals(that.blocks);
    }

    @Override
    public int hashCode() {
        return blocks.hashCode();
    }

    /** The entries separated by {@code ", "}; parses back to an equal list. Empty for {@link #any()}. */
    @Override
    public String toString() {
        return blocks.stream().map(Block::source).collect(Collectors.joining(", "));
    }

    /** One CIDR block; {@code network} has its host bits cleared. */
    private record Block(String source, byte[] network, int prefix) {
        static Block parse(int number, String entry) {
            String printable = Quote.shorten(entry);
            int slash = entry.indexOf('/');
            String addressText = slash < 0 ? entry : entry.substring(0, slash);
            boolean v6 = addressText.indexOf(':') >= 0;
            String problem = v6 ? checkIpv6(addressText) : checkIpv4(addressText);
            if (problem != null) {
                throw new IpAllowListSyntaxException(number, printable, problem);
            }
            byte[] address = literal(number, printable, addressText);
            if (v6 && address.length == 4) {
                throw new IpAllowListSyntaxException(
                        number, printable, "IPv4-mapped IPv6 address; write the IPv4 address instead");
            }
            int bits = address.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                String prefixText = entry.substring(slash + 1);
                if (!prefixText.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(prefixText) > bits) {
                    throw new IpAllowListSyntaxException(
                            number, printable, "prefix length must be a number from 0 to " + bits);
                }
                prefix = Integer.parseInt(prefixText);
            }
            byte[] network = mask(address, prefix);
            if (!java.util.Arrays.equals(network, address)) {
                throw new IpAllowListSyntaxException(
                        number,
                        printable,
                        "host bits are set after the first " + prefix + " bits (did you mean " + literalText(network)
                                + "/" + prefix + "?)");
            }
            return new Block(entry, network, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            return java.util.Arrays.equals(mask(address, prefix), network);
        }

        private static byte[] mask(byte[] address, int prefix) {
            byte[] out = address.clone();
            for (int i = 0; i < out.length; i++) {
                int keep = Math.max(0, Math.min(8, prefix - 8 * i));
                out[i] &= (byte) (0xff << (8 - keep));
            }
            return out;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Block that
                    && prefix == that.prefix
                    && java.util.Arrays.equals(network, that.network);
        }

        @Override
        public int hashCode() {
            return 31 * java.util.Arrays.hashCode(network) + prefix;
        }
    }

    /** Null when {@code text} is a dotted-quad IPv4 literal, else the reason it is not. */
    static String checkIpv4(String text) {
        String[] octets = text.split("\\.", -1);
        if (octets.length != 4) {
            return "not an IP address (expected an IPv4 address like 192.168.1.7 or an IPv6 address like 2001:db8::1;"
                    + " host names are not accepted)";
        }
        for (String octet : octets) {
            if (!octet.matches("[0-9]{1,3}")) {
                return "'" + octet + "' is not an IPv4 octet (0-255)";
            }
            if (octet.length() > 1 && octet.charAt(0) == '0') {
                return "'" + octet + "' has a leading zero (ambiguous: octal or decimal?)";
            }
            if (Integer.parseInt(octet) > 255) {
                return octet + " is not an IPv4 octet (0-255)";
            }
        }
        return null;
    }

    /** Null when {@code text} has the shape of an IPv6 literal without a zone, else the reason. */
    static String checkIpv6(String text) {
        if (text.length() > 45) {
            return "too long for an IPv6 address";
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok =
                    (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
            if (!ok) {
                return c == '%' ? "zone ids are not accepted" : "unexpected character '" + c + "' in an IPv6 address";
            }
        }
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            return "'::' may appear only once in an IPv6 address";
        }
        return null;
    }

    private static byte[] literal(int number, String printable, String text) {
        try {
            // Only reached for text already checked to be an IP literal: the JDK parses it without DNS.
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new IpAllowListSyntaxException(number, printable, "not a valid IP address");
        }
    }

    private static String literalText(byte[] address) {
        try {
            InetAddress parsed = InetAddress.getByAddress(address);
            return parsed instanceof Inet4Address ? parsed.getHostAddress() : compress(parsed.getHostAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code 2001:db8:0:0:0:0:0:0} as {@code 2001:db8::}: the longest run of zero groups collapsed. */
    static String compress(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; ) {
            if (groups[i].equals("0")) {
                int j = i;
                while (j < groups.length && groups[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLength) {
                    bestStart = i;
                    bestLength = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }
}
