package io.shoal.tracker.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ConnectionIdsTest {
    private static final byte[] KEY = TestBytes.hex("000102030405060708090a0b0c0d0e0f");
    private static final byte[] IP4 = {(byte) 192, 0, 2, 7};
    private static final byte[] OTHER_IP4 = {(byte) 192, 0, 2, 8};
    private static final byte[] IP6 = TestBytes.hex("20010db8000000000000000000000001");
    private static final long NOW = 1_700_000_000L;
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final ConnectionIds ids = new ConnectionIds(KEY, GRACE);

    @Test
    void issuedIdIsValidForItsLifetimePlusGrace() {
        long id = ids.issue(IP4, NOW);
        assertThat(id >>> 32).isEqualTo(NOW);
        assertThat(ids.isValid(id, IP4, NOW)).isTrue();
        assertThat(ids.isValid(id, IP4, NOW + 120)).isTrue();
        assertThat(ids.isValid(id, IP4, NOW + 130)).isTrue();
        assertThat(ids.isValid(id, IP4, NOW + 131)).isFalse();
        assertThat(ids.isValid(id, IP4, NOW + 100_000)).isFalse();
    }

    @Test
    void zeroGraceExpiresAfterTwoMinutes() {
        ConnectionIds strict = new ConnectionIds(KEY, Duration.ZERO);
        long id = strict.issue(IP4, NOW);
        assertThat(strict.isValid(id, IP4, NOW + 120)).isTrue();
        assertThat(strict.isValid(id, IP4, NOW + 121)).isFalse();
    }

    @Test
    void idOfAnotherAddressIsRejected() {
        assertThat(ids.isValid(ids.issue(IP4, NOW), OTHER_IP4, NOW)).isFalse();
        assertThat(ids.isValid(ids.issue(IP6, NOW), IP4, NOW)).isFalse();
        assertThat(ids.isValid(ids.issue(IP6, NOW), IP6, NOW + 5)).isTrue();
    }

    @Test
    void anotherInstanceWithTheSameKeyAcceptsAndADifferentKeyRejects() {
        long id = ids.issue(IP4, NOW);
        assertThat(new ConnectionIds(KEY.clone(), GRACE).isValid(id, IP4, NOW + 1)).isTrue();
        byte[] otherKey = KEY.clone();
        otherKey[15] ^= 1;
        assertThat(new ConnectionIds(otherKey, GRACE).isValid(id, IP4, NOW + 1)).isFalse();
    }

    @Test
    void idsFromTheFutureAreRejectedBeyondTolerance() {
        assertThat(ids.isValid(ids.issue(IP4, NOW + 5), IP4, NOW)).isTrue();
        assertThat(ids.isValid(ids.issue(IP4, NOW + 6), IP4, NOW)).isFalse();
        assertThat(ids.isValid(ids.issue(IP4, NOW + 3600), IP4, NOW)).isFalse();
    }

    @Test
    void tamperedIdsAreRejected() {
        long id = ids.issue(IP4, NOW);
        assertThat(ids.isValid(id ^ 1, IP4, NOW)).isFalse();
        // moving the time half keeps the id fresh but breaks the MAC
        assertThat(ids.isValid(id + (1L << 32), IP4, NOW)).isFalse();
        assertThat(ids.isValid(0L, IP4, NOW)).isFalse();
        assertThat(ids.isValid(UdpRequestDecoder.PROTOCOL_ID, IP4, NOW)).isFalse();
    }

    @Test
    void issueTimeWrapsAtThirtyTwoBits() {
        long beforeWrap = (1L << 32) - 10;
        long id = ids.issue(IP4, beforeWrap);
        assertThat(ids.isValid(id, IP4, beforeWrap + 60)).isTrue();
        assertThat(ids.isValid(id, IP4, beforeWrap + 200)).isFalse();
    }

    @Test
    void issuingIsDeterministicPerKeyAddressAndSecond() {
        assertThat(ids.issue(IP4, NOW)).isEqualTo(ids.issue(IP4.clone(), NOW));
        assertThat(ids.issue(IP4, NOW)).isNotEqualTo(ids.issue(IP4, NOW + 1));
    }

    @Test
    void keysAreSixteenBytes() {
        assertThatThrownBy(() -> new ConnectionIds(new byte[15], GRACE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConnectionIds(KEY, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        byte[] a = ConnectionIds.randomKey();
        byte[] b = ConnectionIds.randomKey();
        assertThat(a).hasSize(16);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void parsesHexAndBase64Keys() {
        assertThat(ConnectionIds.parseKey("000102030405060708090a0b0c0d0e0f")).isEqualTo(KEY);
        assertThat(ConnectionIds.parseKey(" 000102030405060708090A0B0C0D0E0F\n")).isEqualTo(KEY);
        assertThat(ConnectionIds.parseKey(Base64.getEncoder().encodeToString(KEY))).isEqualTo(KEY);
        byte[] urlKey = TestBytes.filled(16, 0xfb);
        assertThat(ConnectionIds.parseKey(Base64.getUrlEncoder().withoutPadding().encodeToString(urlKey))).isEqualTo(urlKey);
    }

    @Test
    void refusesMalformedKeys() {
        for (String bad : new String[] {"", "00010203", "000102030405060708090a0b0c0d0e0g",
                                         Base64.getEncoder().encodeToString(new byte[15]), "not a key at all!!", "00"}) {
            assertThatThrownBy(() -> ConnectionIds.parseKey(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("32 hex characters or base64");
        }
        assertThatThrownBy(() -> ConnectionIds.parseKey(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
