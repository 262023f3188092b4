package io.sluice.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Keeps webhook deliveries away from internal networks (server-side request forgery): an
 * address is refused when it is loopback, private, shared (CGNAT), link-local (so the cloud
 * metadata service at 169.254.169.254), multicast, unspecified or reserved, or an IPv6 form
 * that embeds such an IPv4 address (mapped, compatible, NAT64, 6to4). Networks on the
 * allow-list are always permitted: tests, and deployments that deliver inside their own
 * network on purpose.
 *
 * <p>{@link #resolve} looks a host name up once and vets every address it has; the caller
 * connects only to those addresses, so DNS rebinding between check and connect is not
 * possible.
 */
public final class SsrfGuard {

    /** Why an address is refused, or that it is not. */
    public sealed interface Verdict {
        record Allowed() implements Verdict {
        }

        record Blocked(String reason) implements Verdict {
        }
    }

    /** A host name resolved to at least one refused address. */
    public static final class BlockedAddressException extends Exception {
        public BlockedAddressException(String host, InetAddress address, String reason) {
            super(host + " resolves to " + address.getHostAddress() + " (" + reason + "): deliveries there are not allowed");
        }
    }

    private record Range(Cidr cidr, String reason) {
        static Range of(String cidr, String reason) {
            return new Range(Cidr.parse(cidr), reason);
        }
    }

    private static final List<Range> REFUSED = List.of(
            Range.of("0.0.0.0/8", "unspecified"),
            Range.of("10.0.0.0/8", "private"),
            Range.of("100.64.0.0/10", "shared address space"),
            Range.of("127.0.0.0/8", "loopback"),
            Range.of("169.254.0.0/16", "link-local"),
            Range.of("172.16.0.0/12", "private"),
            Range.of("192.0.0.0/24", "reserved"),
            Range.of("192.168.0.0/16", "private"),
            Range.of("198.18.0.0/15", "reserved"),
            Range.of("224.0.0.0/4", "multicast"),
            Range.of("240.0.0.0/4", "reserved"),
            Range.of("::/128", "unspecified"),
            Range.of("::1/128", "loopback"),
            Range.of("fc00::/7", "private"),
            Range.of("fe80::/10", "link-local"),
            Range.of("fec0::/10", "site-local"),
            Range.of("ff00::/8", "multicast"));

    private final List<Cidr> allowed;

    public SsrfGuard(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** @param allowedCidrs networks always permitted, such as {@code 127.0.0.1/32} for a local test receiver */
    public static SsrfGuard allowing(List<String> allowedCidrs) {
        return new SsrfGuard(allowedCidrs.stream().filter(c -> !c.isBlank()).map(Cidr::parse).toList());
    }

    public Verdict check(InetAddress address) {
        byte[] bytes = address.getAddress();
        byte[] embedded = embeddedIpv4(bytes);
        if (isAllowed(bytes) || (embedded != null && isAllowed(embedded))) {
            return new Verdict.Allowed();
        }
        for (byte[] candidate : embedded == null ? List.of(bytes) : List.of(bytes, embedded)) {
            for (Range range : REFUSED) {
                if (range.cidr().contains(candidate)) {
                    return new Verdict.Blocked(range.reason() + (candidate == embedded ? ", embedded in IPv6" : ""));
                }
            }
        }
        return new Verdict.Allowed();
    }

    /** Whether {@code host} is an address literal that is refused: decided without a lookup. */
    public boolean refusesLiteral(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!AddressLiterals.isLiteral(bare)) {
            return false;
        }
        try {
            return check(InetAddress.getByName(bare)) instanceof Verdict.Blocked;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Looks {@code host} up once and returns its addresses, all vetted.
     *
     * @throws BlockedAddressException when any of them is refused
     */
    public List<InetAddress> resolve(String host) throws UnknownHostException, BlockedAddressException {
        InetAddress[] addresses = InetAddress.getAllByName(host);
        for (InetAddress address : addresses) {
            if (check(address) instanceof Verdict.Blocked blocked) {
                throw new BlockedAddressException(host, address, blocked.reason());
            }
        }
        return List.of(addresses);
    }

    private boolean isAllowed(byte[] address) {
        for (Cidr cidr : allowed) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The IPv4 address inside an IPv6 one, for the forms that carry one; null otherwise. */
    static byte[] embeddedIpv4(byte[] address) {
        if (address.length != 16) {
            return null;
        }
        boolean firstTenZero = Arrays.equals(address, 0, 10, new byte[10], 0, 10);
        if (firstTenZero && (address[10] & 0xFF) == 0xFF && (address[11] & 0xFF) == 0xFF) {
            return Arrays.copyOfRange(address, 12, 16); // ::ffff:a.b.c.d, mapped
        }
        if (firstTenZero && address[10] == 0 && address[11] == 0 && !isZeroOrOne(address)) {
            return Arrays.copyOfRange(address, 12, 16); // ::a.b.c.d, compatible (deprecated)
        }
        if (address[0] == 0x00 && address[1] == 0x64 && (address[2] & 0xFF) == 0xFF && (address[3] & 0xFF) == 0x9B
                && Arrays.equals(address, 4, 12, new byte[8], 0, 8)) {
            return Arrays.copyOfRange(address, 12, 16); // 64:ff9b::a.b.c.d, NAT64
        }
        if (address[0] == 0x20 && address[1] == 0x02) {
            return Arrays.copyOfRange(address, 2, 6); // 2002:aabb:ccdd::, 6to4
        }
        return null;
    }

    /** :: and ::1 are themselves, not compatible forms of 0.0.0.0 and 0.0.0.1. */
    private static boolean isZeroOrOne(byte[] address) {
        return Arrays.equals(address, 0, 15, new byte[15], 0, 15) && (address[15] == 0 || address[15] == 1);
    }
}
