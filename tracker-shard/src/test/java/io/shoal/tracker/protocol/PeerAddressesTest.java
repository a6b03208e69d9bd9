package io.shoal.tracker.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class PeerAddressesTest {
    @Test
    void ipv4StaysFourBytes() throws Exception {
        assertThat(PeerAddresses.normalise(InetAddress.getByName("198.51.100.9")))
                .containsExactly(198, 51, 100, 9);
    }

    @Test
    void ipv4MappedIpv6BecomesIpv4() throws Exception {
        byte[] mapped = TestBytes.hex("00000000000000000000ffffc6336409");
        // Inet6Address.getByAddress keeps the IPv6 form (InetAddress.getByAddress would already convert it).
        InetAddress a = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(a).isInstanceOf(Inet6Address.class);
        assertThat(PeerAddresses.normalise(a)).containsExactly(198, 51, 100, 9);
        assertThat(PeerAddresses.normalise(mapped)).containsExactly(198, 51, 100, 9);
    }

    @Test
    void otherIpv6StaysSixteenBytes() throws Exception {
        assertThat(PeerAddresses.normalise(InetAddress.getByName("2001:db8::1"))).hasSize(16)
                .isEqualTo(TestBytes.hex("20010db8000000000000000000000001"));
        // IPv4-compatible (deprecated ::a.b.c.d) and near-misses are not IPv4-mapped
        byte[] compatible = TestBytes.hex("000000000000000000000000c6336409");
        assertThat(PeerAddresses.normalise(compatible)).isSameAs(compatible);
        byte[] nearMiss = TestBytes.hex("00000000000000000001ffffc6336409");
        assertThat(PeerAddresses.normalise(nearMiss)).isSameAs(nearMiss);
    }

    @Test
    void textForms() {
        assertThat(PeerAddresses.toText(new byte[] {1, 2, 3, 4})).isEqualTo("1.2.3.4");
        assertThat(PeerAddresses.toText(TestBytes.filled(4, 255))).isEqualTo("255.255.255.255");
        assertThat(PeerAddresses.toText(TestBytes.hex("20010db8000000000000000000000001"))).isEqualTo("2001:db8::1");
        assertThat(PeerAddresses.toText(TestBytes.hex("00000000000000000000000000000001"))).isEqualTo("::1");
        assertThat(PeerAddresses.toText(new byte[16])).isEqualTo("::");
        // RFC 5952: the first of two equally long zero runs is the one compressed; lower case
        assertThat(PeerAddresses.toText(TestBytes.hex("20010DB8000000000001000000000001"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(PeerAddresses.toText(TestBytes.hex("fe80000000000000abcd00ff00000001"))).isEqualTo("fe80::abcd:ff:0:1");
    }

    @Test
    void refusesOtherLengths() {
        assertThatThrownBy(() -> PeerAddresses.toText(new byte[5])).isInstanceOf(IllegalArgumentException.class);
    }
}
