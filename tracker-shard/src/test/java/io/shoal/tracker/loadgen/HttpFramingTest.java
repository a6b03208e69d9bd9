package io.shoal.tracker.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** HTTP request encoding and response framing of the HTTP mode, without sockets. */
class HttpFramingTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void framesAResponseByContentLengthAndNoticesClose() {
        HttpResponse r = new HttpResponse();
        byte[] whole = bytes("HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\nd1:ae");
        assertThat(r.parse(whole, whole.length - 3, false)).isEqualTo(HttpResponse.NEED_MORE);
        assertThat(r.parse(whole, whole.length, false)).isEqualTo(whole.length - 1);
        assertThat(r.status).isEqualTo(200);
        assertThat(r.close).isTrue();
        assertThat(new String(whole, r.bodyStart, 4, StandardCharsets.ISO_8859_1)).isEqualTo("d1:a");
    }

    @Test
    void keepAliveUnlessHttp10OrNoLengthAndRefusesGarbage() {
        HttpResponse r = new HttpResponse();
        byte[] ok = bytes("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nle");
        assertThat(r.parse(ok, ok.length, false)).isEqualTo(ok.length);
        assertThat(r.close).isFalse();
        byte[] old = bytes("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nle");
        r.parse(old, old.length, false);
        assertThat(r.close).isTrue();
        byte[] untilEof = bytes("HTTP/1.1 200 OK\r\n\r\nle");
        assertThat(r.parse(untilEof, untilEof.length, false)).isEqualTo(HttpResponse.NEED_MORE);
        assertThat(r.parse(untilEof, untilEof.length, true)).isEqualTo(untilEof.length);
        byte[] garbage = bytes("SSH-2.0\r\n\r\n");
        assertThat(r.parse(garbage, garbage.length, false)).isEqualTo(HttpResponse.MALFORMED);
        byte[] badLength = bytes("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n");
        assertThat(r.parse(badLength, badLength.length, false)).isEqualTo(HttpResponse.MALFORMED);
        byte[] endless = new byte[HttpResponse.MAX_HEADER_BYTES];
        java.util.Arrays.fill(endless, (byte) 'a');
        assertThat(r.parse(endless, endless.length, false)).isEqualTo(HttpResponse.MALFORMED);
    }

    @Test
    void announceEscapesEveryBinaryByteAndNamesTheEvent() {
        ByteBuffer out = ByteBuffer.allocate(4096);
        byte[] hashes = new byte[40];
        hashes[20] = (byte) 0xAB;
        byte[] peerId = new byte[20];
        peerId[0] = ' ';
        HttpRequests.announce(out, "127.0.0.1:1", hashes, 1, peerId, 20001, 1234, PeerLifecycle.STOPPED, -1, 50,
                false);
        String text = StandardCharsets.US_ASCII.decode(out).toString();
        assertThat(text).startsWith("GET /announce?info_hash=%AB%00%00")
                .contains("&peer_id=%20%00").contains("&port=20001").contains("&left=1234")
                .contains("&event=stopped").contains("&numwant=50").contains("&key=FFFFFFFF").contains("&compact=1")
                .endsWith(" HTTP/1.1\r\nHost: 127.0.0.1:1\r\nConnection: close\r\n\r\n");
    }

    @Test
    void scrapeRepeatsInfoHashAndKeepsAlive() {
        ByteBuffer out = ByteBuffer.allocate(4096);
        HttpRequests.scrape(out, "h:1", new byte[60], new int[] {0, 2}, 2, true);
        String text = StandardCharsets.US_ASCII.decode(out).toString();
        assertThat(text).startsWith("GET /scrape?info_hash=%00").contains("&info_hash=%00")
                .endsWith("HTTP/1.1\r\nHost: h:1\r\n\r\n");
    }
}
