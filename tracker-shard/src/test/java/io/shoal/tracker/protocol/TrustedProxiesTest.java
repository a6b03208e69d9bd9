package io.shoal.tracker.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.NetUtil;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrustedProxiesTest {

    private static byte[] ip(String literal) {
        return PeerAddresses.normalise(NetUtil.createByteArrayFromIpAddressString(literal));
    }

    @Test
    void ipv4NetworksMatchTheirPrefixOnly() {
        TrustedProxies t = TrustedProxies.parse(List.of("10.0.0.0/8", "192.168.1.128/25"));
        assertThat(t.contains(ip("10.255.0.1"))).isTrue();
        assertThat(t.contains(ip("11.0.0.1"))).isFalse();
        assertThat(t.contains(ip("192.168.1.128"))).isTrue();
        assertThat(t.contains(ip("192.168.1.255"))).isTrue();
        assertThat(t.contains(ip("192.168.1.127"))).isFalse();
    }

    @Test
    void ipv6NetworksMatchAndFamiliesStayApart() {
        TrustedProxies t = TrustedProxies.parse(List.of("fd00::/8,::1"));
        assertThat(t.contains(ip("fd12:3456::1"))).isTrue();
        assertThat(t.contains(ip("fe80::1"))).isFalse();
        assertThat(t.contains(ip("::1"))).isTrue();
        assertThat(t.contains(ip("::2"))).isFalse();
        assertThat(t.contains(ip("0.0.0.1"))).isFalse();
    }

    @Test
    void bareAddressIsOneHostAndMappedFormsAreIpv4() {
        TrustedProxies t = TrustedProxies.parse(List.of("127.0.0.1", "::ffff:10.1.0.0/112"));
        assertThat(t.contains(ip("127.0.0.1"))).isTrue();
        assertThat(t.contains(ip("127.0.0.2"))).isFalse();
        assertThat(t.contains(ip("::ffff:127.0.0.1"))).isTrue();
        assertThat(t.contains(ip("10.1.200.3"))).isTrue();
        assertThat(t.contains(ip("10.2.0.0"))).isFalse();
    }

    @Test
    void zeroPrefixTrustsAFamily() {
        TrustedProxies t = TrustedProxies.parse(List.of("0.0.0.0/0"));
        assertThat(t.contains(ip("203.0.113.9"))).isTrue();
        assertThat(t.contains(ip("2001:db8::1"))).isFalse();
    }

    @Test
    void commaListsAndBlanksAreAccepted() {
        TrustedProxies t = TrustedProxies.parse(List.of(" 10.0.0.0/8 , ", "", "fd00::/8"));
        assertThat(t.cidrs()).containsExactly("10.0.0.0/8", "fd00::/8");
        assertThat(t.toString()).isEqualTo("10.0.0.0/8,fd00::/8");
    }

    @Test
    void nothingGivenIsNone() {
        assertThat(TrustedProxies.parse(List.of())).isSameAs(TrustedProxies.NONE);
        assertThat(TrustedProxies.parse(List.of(" , "))).isSameAs(TrustedProxies.NONE);
        assertThat(TrustedProxies.NONE.isEmpty()).isTrue();
        assertThat(TrustedProxies.NONE.contains(ip("127.0.0.1"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "10.0.0.0/33", "::/129", "10.0.0.1/8", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8",
            "10.0.0.0/x", "fe80::1%eth0", "256.0.0.1", "::ffff:10.0.0.0/95", "10.0.0.0/0008", "[::1]"})
    void badEntriesAreRefusedByName(String bad) {
        assertThatThrownBy(() -> TrustedProxies.parse(List.of("127.0.0.1", bad)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + bad + "'");
    }
}
