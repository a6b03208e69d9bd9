package io.shoal.tracker.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.NetUtil;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ForwardedForTest {
    private static final TrustedProxies TRUSTED = TrustedProxies.parse(List.of("10.0.0.0/8", "fd00::/8"));
    private static final byte[] PEER = ip("10.0.0.1");

    private static byte[] ip(String literal) {
        return PeerAddresses.normalise(NetUtil.createByteArrayFromIpAddressString(literal));
    }

    private static String client(String... headers) {
        return PeerAddresses.toText(ForwardedFor.client(List.of(headers), TRUSTED, PEER));
    }

    @Test
    void noHeaderOrNoEntriesMeansThePeer() {
        assertThat(PeerAddresses.toText(ForwardedFor.client(List.of(), TRUSTED, PEER))).isEqualTo("10.0.0.1");
        assertThat(client("")).isEqualTo("10.0.0.1");
        assertThat(client(" , ,")).isEqualTo("10.0.0.1");
    }

    @Test
    void rightMostUntrustedEntryIsTheClient() {
        assertThat(client("203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(client("198.51.100.1, 203.0.113.7, 10.1.1.1")).isEqualTo("203.0.113.7");
        assertThat(client("2001:db8::5,fd00::1")).isEqualTo("2001:db8::5");
    }

    @Test
    void whatTheClientWroteLeftOfItselfIsNeverRead() {
        assertThat(client("garbage, ;;; , 203.0.113.7")).isEqualTo("203.0.113.7");
    }

    @Test
    void allTrustedMeansTheLeftMost() {
        assertThat(client("10.9.9.9, 10.1.1.1")).isEqualTo("10.9.9.9");
    }

    @Test
    void severalHeadersFormOneList() {
        assertThat(client("203.0.113.7", "10.1.1.1")).isEqualTo("203.0.113.7");
        assertThat(client("198.51.100.1", "203.0.113.7, 10.2.2.2", "")).isEqualTo("203.0.113.7");
    }

    @Test
    void portsAndBracketsAreAccepted() {
        assertThat(client("203.0.113.7:4711")).isEqualTo("203.0.113.7");
        assertThat(client("[2001:db8::5]:4711")).isEqualTo("2001:db8::5");
        assertThat(client("[2001:db8::5]")).isEqualTo("2001:db8::5");
        assertThat(client("::ffff:203.0.113.7")).isEqualTo("203.0.113.7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown", "203.0.113.7:", "203.0.113.7:123456", "203.0.113.7:ab", "[203.0.113.7]",
            "[2001:db8::5", "[2001:db8::5]x", "2001:db8::5%eth0", "1.2.3", "_hidden",
            "[2001:db8:0000:0000:0000:0000:0000:0000:0000:0000:0000:0005]:65535"})
    void malformedEntryThatMustBeReadFailsTheRequest(String bad) {
        assertThatThrownBy(() -> client("203.0.113.1, " + bad))
                .isInstanceOf(ProtocolException.class).hasMessage(ForwardedFor.MALFORMED);
        assertThatThrownBy(() -> client(bad + ", 10.1.1.1"))
                .isInstanceOf(ProtocolException.class).hasMessage(ForwardedFor.MALFORMED);
    }

    @Test
    void tooManyTrustedHopsIsRefused() {
        String hops = "10.0.0.2,".repeat(ForwardedFor.MAX_ENTRIES) + "10.0.0.3";
        assertThatThrownBy(() -> client("203.0.113.7," + hops))
                .isInstanceOf(ProtocolException.class).hasMessage(ForwardedFor.TOO_MANY);
        String justEnough = "10.0.0.2,".repeat(ForwardedFor.MAX_ENTRIES - 2) + "10.0.0.3";
        assertThat(client("203.0.113.7," + justEnough)).isEqualTo("203.0.113.7");
    }
}
