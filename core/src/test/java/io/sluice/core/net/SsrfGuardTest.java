package io.sluice.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SsrfGuardTest {

    private final SsrfGuard guard = SsrfGuard.allowing(List.of());

    @ParameterizedTest
    @ValueSource(strings = {
            "127.0.0.1", "127.255.0.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
            "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255",
            "::1", "::", "fc00::1", "fd12:3456::1", "fe80::1", "ff02::1",
            "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1"})
    void refusesInternalAndReservedAddressesInEveryForm(String address) throws Exception {
        assertThat(guard.check(InetAddress.getByName(address))).isInstanceOf(SsrfGuard.Verdict.Blocked.class);
        assertThat(guard.refusesLiteral(address.contains(":") ? "[" + address + "]" : address)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111",
            "64:ff9b::808:808", "2002:808:808::1"})
    void allowsPublicAddresses(String address) throws Exception {
        assertThat(guard.check(InetAddress.getByName(address))).isInstanceOf(SsrfGuard.Verdict.Allowed.class);
        assertThat(guard.refusesLiteral(address)).isFalse();
    }

    @Test
    void theAllowListWinsForItsNetworksOnly() throws Exception {
        SsrfGuard local = SsrfGuard.allowing(List.of("127.0.0.0/8", " "));

        assertThat(local.check(InetAddress.getByName("127.0.0.1"))).isInstanceOf(SsrfGuard.Verdict.Allowed.class);
        assertThat(local.check(InetAddress.getByName("::ffff:127.0.0.2"))).isInstanceOf(SsrfGuard.Verdict.Allowed.class);
        assertThat(local.check(InetAddress.getByName("10.0.0.1"))).isInstanceOf(SsrfGuard.Verdict.Blocked.class);
        assertThat(local.check(InetAddress.getByName("::1"))).isInstanceOf(SsrfGuard.Verdict.Blocked.class);
    }

    @Test
    void aHostNameIsResolvedOnceAndRefusedWhenAnyAddressIsInternal() throws Exception {
        assertThatThrownBy(() -> guard.resolve("localhost"))
                .isInstanceOf(SsrfGuard.BlockedAddressException.class)
                .hasMessageContaining("localhost resolves to").hasMessageContaining("loopback");
        assertThat(SsrfGuard.allowing(List.of("127.0.0.0/8", "::1/128")).resolve("localhost"))
                .isNotEmpty().allSatisfy(address -> assertThat(address.isLoopbackAddress()).isTrue());
    }

    @Test
    void hostNamesAreNotLiterals() {
        assertThat(guard.refusesLiteral("example.com")).isFalse();
        assertThat(guard.refusesLiteral("localhost")).as("decided by resolve, not by the literal check").isFalse();
    }

    @Test
    void cidrsParseStrictly() throws Exception {
        assertThat(Cidr.parse("10.0.0.0/8").contains(InetAddress.getByName("10.200.1.1"))).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains(InetAddress.getByName("11.0.0.1"))).isFalse();
        assertThat(Cidr.parse("172.16.0.0/12").contains(InetAddress.getByName("172.31.0.1"))).isTrue();
        assertThat(Cidr.parse("172.16.0.0/12").contains(InetAddress.getByName("172.32.0.1"))).isFalse();
        assertThat(Cidr.parse("192.168.0.7").contains(InetAddress.getByName("192.168.0.7"))).isTrue();
        assertThat(Cidr.parse("fc00::/7").contains(InetAddress.getByName("10.0.0.1"))).as("other family").isFalse();
        assertThatThrownBy(() -> Cidr.parse("nonsense")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).isInstanceOf(IllegalArgumentException.class);
    }
}
