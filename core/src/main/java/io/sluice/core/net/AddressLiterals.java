package io.sluice.core.net;

import java.util.regex.Pattern;

/** Tells an IP address literal from a host name without a DNS lookup. */
final class AddressLiterals {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private AddressLiterals() {
    }

    /** IPv4 dotted quad, or anything with a colon (IPv6, possibly in brackets). */
    static boolean isLiteral(String host) {
        return IPV4.matcher(host).matches() || host.indexOf(':') >= 0;
    }
}
