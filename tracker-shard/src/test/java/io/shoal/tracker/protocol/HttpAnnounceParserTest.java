package io.shoal.tracker.protocol;

import static io.shoal.tracker.protocol.TestBytes.pct;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HttpAnnounceParserTest {
    private static final byte[] HASH = TestBytes.hex("aa00ff112233445566778899aabbccddeeff0102");
    private static final byte[] PEER = TestBytes.latin1("-qB4250-abcdefghijkl");
    private static final String BASE = "info_hash=" + pct(HASH) + "&peer_id=-qB4250-abcdefghijkl&port=6881";

    private static AnnounceRequest parse(String query) {
        return HttpAnnounceParser.parse(HttpQuery.parse(query));
    }

    private static void assertRefused(String query, String message) {
        assertThatThrownBy(() -> parse(query)).as(query)
                .isInstanceOf(ProtocolException.class).hasMessage(message);
    }

    @Test
    void parsesATypicalAnnounce() {
        AnnounceRequest r = parse("info_hash=" + pct(HASH) + "&peer_id=" + pct(PEER)
                + "&port=51413&uploaded=1024&downloaded=2048&left=0&corrupt=0&key=1A2b3C4d&event=completed"
                + "&numwant=80&compact=1&no_peer_id=1&supportcrypto=1&ip=203.0.113.5&trackerid=xyz");
        assertThat(r.infoHash()).isEqualTo(HASH);
        assertThat(r.peerId()).isEqualTo(PEER);
        assertThat(r.port()).isEqualTo(51413);
        assertThat(r.uploaded()).isEqualTo(1024);
        assertThat(r.downloaded()).isEqualTo(2048);
        assertThat(r.left()).isZero();
        assertThat(r.event()).isEqualTo(AnnounceEvent.COMPLETED);
        assertThat(r.numwant()).isEqualTo(80);
        assertThat(r.compact()).isTrue();
        assertThat(r.noPeerId()).isTrue();
        assertThat(r.key()).isEqualTo(0x1a2b3c4dL);
    }

    @Test
    void defaultsForAbsentOptionalParameters() {
        AnnounceRequest r = parse(BASE);
        assertThat(r.uploaded()).isZero();
        assertThat(r.downloaded()).isZero();
        assertThat(r.left()).isEqualTo(-1);
        assertThat(r.event()).isEqualTo(AnnounceEvent.NONE);
        assertThat(r.numwant()).isEqualTo(-1);
        assertThat(r.compact()).isTrue();
        assertThat(r.noPeerId()).isFalse();
        assertThat(r.key()).isEqualTo(-1);
    }

    @Test
    void infoHashMustBeExactlyOneTwentyByteValue() {
        assertRefused("peer_id=-qB4250-abcdefghijkl&port=1", "missing info_hash");
        assertRefused("info_hash=" + pct(new byte[19]) + "&peer_id=-qB4250-abcdefghijkl&port=1", "info_hash must be 20 bytes");
        assertRefused("info_hash=" + pct(new byte[21]) + "&peer_id=-qB4250-abcdefghijkl&port=1", "info_hash must be 20 bytes");
        // 40 hex characters are 40 bytes, not a hash
        assertRefused("info_hash=" + TestBytes.hex(HASH) + "&peer_id=-qB4250-abcdefghijkl&port=1", "info_hash must be 20 bytes");
        assertRefused(BASE + "&info_hash=" + pct(HASH), "repeated info_hash");
    }

    @Test
    void peerIdMustBeTwentyBytes() {
        assertRefused("info_hash=" + pct(HASH) + "&port=1", "missing peer_id");
        assertRefused("info_hash=" + pct(HASH) + "&peer_id=short&port=1", "peer_id must be 20 bytes");
        assertRefused("info_hash=" + pct(HASH) + "&peer_id=" + pct(new byte[21]) + "&port=1", "peer_id must be 20 bytes");
    }

    @Test
    void portMustBeAnUnsignedSixteenBitNumber() {
        String noPort = "info_hash=" + pct(HASH) + "&peer_id=-qB4250-abcdefghijkl";
        assertRefused(noPort, "missing port");
        for (String bad : new String[] {"", "abc", "65536", "-1", "68 81", "0x1AE1", "99999999999999999999999"}) {
            assertRefused(noPort + "&port=" + bad, "invalid port");
        }
        assertThat(parse(noPort + "&port=0").port()).isZero();
        assertThat(parse(noPort + "&port=65535").port()).isEqualTo(65535);
    }

    @Test
    void transferCountersMustBeNumbers() {
        assertRefused(BASE + "&uploaded=12x", "invalid uploaded");
        assertRefused(BASE + "&downloaded=", "invalid downloaded");
        assertRefused(BASE + "&left=-", "invalid left");
        assertRefused(BASE + "&left=1.5", "invalid left");
        // 64-bit unsigned counters beyond the signed range are clamped, not refused
        AnnounceRequest r = parse(BASE + "&uploaded=18446744073709551615&left=-5&downloaded=9223372036854775807");
        assertThat(r.uploaded()).isEqualTo(Long.MAX_VALUE);
        assertThat(r.downloaded()).isEqualTo(Long.MAX_VALUE);
        assertThat(r.left()).isEqualTo(-5);
    }

    @Test
    void events() {
        assertThat(parse(BASE + "&event=started").event()).isEqualTo(AnnounceEvent.STARTED);
        assertThat(parse(BASE + "&event=stopped").event()).isEqualTo(AnnounceEvent.STOPPED);
        assertThat(parse(BASE + "&event=completed").event()).isEqualTo(AnnounceEvent.COMPLETED);
        assertThat(parse(BASE + "&event=paused").event()).isEqualTo(AnnounceEvent.PAUSED);
        assertThat(parse(BASE + "&event=empty").event()).isEqualTo(AnnounceEvent.NONE);
        assertThat(parse(BASE + "&event=").event()).isEqualTo(AnnounceEvent.NONE);
        assertRefused(BASE + "&event=bogus", "unknown event");
        assertRefused(BASE + "&event=Started", "unknown event");
    }

    @Test
    void numwant() {
        assertThat(parse(BASE + "&numwant=0").numwant()).isZero();
        assertThat(parse(BASE + "&numwant=50").numwant()).isEqualTo(50);
        assertThat(parse(BASE + "&numwant=-1").numwant()).isEqualTo(-1);
        assertThat(parse(BASE + "&numwant=-200").numwant()).isEqualTo(-1);
        assertThat(parse(BASE + "&numwant=99999999999").numwant()).isEqualTo(Integer.MAX_VALUE);
        assertThat(parse(BASE + "&numwant=999999999999999999999999").numwant()).isEqualTo(Integer.MAX_VALUE);
        assertRefused(BASE + "&numwant=lots", "invalid numwant");
    }

    @Test
    void compactAndNoPeerIdFlags() {
        assertThat(parse(BASE + "&compact=0").compact()).isFalse();
        assertThat(parse(BASE + "&compact=1").compact()).isTrue();
        assertThat(parse(BASE + "&no_peer_id=1").noPeerId()).isTrue();
        assertThat(parse(BASE + "&no_peer_id=0").noPeerId()).isFalse();
    }

    @Test
    void keyIsReadAsHexElseHashed() {
        assertThat(parse(BASE + "&key=ffffffff").key()).isEqualTo(0xffffffffL);
        assertThat(parse(BASE + "&key=").key()).isEqualTo(-1);
        long hashed = parse(BASE + "&key=not-hex!").key();
        assertThat(hashed).isEqualTo(parse(BASE + "&key=not-hex!").key())
                .isNotEqualTo(parse(BASE + "&key=not-hex?").key())
                .isNotEqualTo(-1);
        // longer than 64 bits of hex: hashed too, not truncated
        assertThat(parse(BASE + "&key=00000000000000001").key()).isNotEqualTo(1);
    }

    @Test
    void theTrackersParameterSetSkipsWhatAnAnnounceIsNotReadFrom() {
        AnnounceRequest r = HttpAnnounceParser.parse(HttpQuery.parse(
                BASE + "&key=%ZZ&trackerid=" + "t".repeat(2000) + "&left=5&numwant=9", HttpAnnounceParser.PARAMETERS));
        assertThat(r.infoHash()).isEqualTo(HASH);
        assertThat(r.left()).isEqualTo(5);
        assertThat(r.numwant()).isEqualTo(9);
        assertThat(r.key()).as("not read").isEqualTo(-1);
        assertThatThrownBy(() -> HttpAnnounceParser.parse(HttpQuery.parse(BASE + "&left=%Z1", HttpAnnounceParser.PARAMETERS)))
                .isInstanceOf(ProtocolException.class).hasMessage("malformed query");
    }

    @Test
    void firstOccurrenceOfOtherParametersWins() {
        AnnounceRequest r = parse(BASE + "&port=1&numwant=5&numwant=7&event=started&event=stopped");
        assertThat(r.port()).isEqualTo(6881);
        assertThat(r.numwant()).isEqualTo(5);
        assertThat(r.event()).isEqualTo(AnnounceEvent.STARTED);
    }
}
