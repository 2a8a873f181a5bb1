package io.tokengate.server.gateway;

import io.tokengate.core.token.IpAllowList;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;

/**
 * The address of the client a request comes from: the connection's peer, or, when the peer is a
 * trusted proxy (a load balancer in front of tokengate), the last address in {@code
 * X-Forwarded-For} that is not itself a trusted proxy. A client can always prepend fake addresses
 * to that header, never append, so reading from the right is the only safe way.
 */
public final class ClientAddress {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private ClientAddress() {}

    public static String of(Request request, IpAllowList trustedProxies) {
        String peer = Request.getRemoteAddr(request);
        if (trustedProxies.isAny() || !isTrusted(peer, trustedProxies)) {
            return peer;
        }
        List<String> forwarded = request.getHeaders().getCSV("X-Forwarded-For", false);
        for (int i = forwarded.size() - 1; i >= 0; i--) {
            String candidate = forwarded.get(i).strip();
            Optional<InetAddress> address = parse(candidate);
            if (address.isEmpty()) {
                return peer; // garbage in the chain: trust only what we saw ourselves
            }
            if (!trustedProxies.allows(address.get())) {
                return address.get().getHostAddress();
            }
        }
        return peer;
    }

    private static boolean isTrusted(String address, IpAllowList trustedProxies) {
        return parse(address).map(trustedProxies::allows).orElse(false);
    }

    /** An IP literal, never resolved through DNS; empty for anything else. */
    public static Optional<InetAddress> parse(String literal) {
        if (literal == null) {
            return Optional.empty();
        }
        String text =
                literal.startsWith("[") && literal.endsWith("]") ? literal.substring(1, literal.length() - 1) : literal;
        boolean v4 = IPV4.matcher(text).matches();
        boolean v6 = !v4 && text.indexOf(':') >= 0 && IPV6.matcher(text).matches();
        if (!v4 && !v6) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
