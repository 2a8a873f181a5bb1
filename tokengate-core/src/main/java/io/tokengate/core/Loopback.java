package io.tokengate.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a host a setting names is this machine's loopback, where nothing crosses the network:
 * for the warnings about secrets in clear text (tokens to the gateway, passwords to the admin
 * plane or the database). Only the name {@code localhost} and address literals count; any other
 * name is never looked up, so a DNS answer cannot quiet a warning.
 */
public final class Loopback {
    /** Four decimal octets, none with a leading zero (which some resolvers read as octal). */
    private static final Pattern IPV4 =
            Pattern.compile(String.join("\\.", Collections.nCopies(4, "(0|[1-9]\\d{0,2})")));

    private Loopback() {}

    /**
     * Whether {@code host} (a listening address, a URL's host, a {@code PGHOST} entry; IPv6 with
     * or without brackets) is {@code localhost}, an address in {@code 127.0.0.0/8}, or {@code
     * ::1}. False for null, a wildcard ({@code 0.0.0.0}, {@code ::}) and every other name.
     */
    public static boolean is(String host) {
        if (host == null) {
            return false;
        }
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (name.equalsIgnoreCase("localhost")) {
            return true;
        }
        Matcher ipv4 = IPV4.matcher(name);
        if (ipv4.matches()) {
            for (int octet = 1; octet <= 4; octet++) {
                if (Integer.parseInt(ipv4.group(octet)) > 255) {
                    return false;
                }
            }
            return ipv4.group(1).equals("127");
        }
        if (name.indexOf(':') < 0) {
            return false; // a name (or an IPv4 form only some resolvers read, such as 127.1)
        }
        try {
            // In brackets, Java reads an IPv6 literal or refuses it: never a lookup.
            return InetAddress.getByName("[" + name + "]").isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
