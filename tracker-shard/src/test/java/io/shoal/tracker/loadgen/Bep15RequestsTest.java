package io.shoal.tracker.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Bep15RequestsTest {
    private final ByteBuffer out = ByteBuffer.allocate(2048);

    @Test
    void connectCarriesTheProtocolMagic() {
        Bep15Requests.connect(out, 77);
        assertThat(out.remaining()).isEqualTo(16);
        assertThat(out.getLong(0)).isEqualTo(0x41727101980L);
        assertThat(out.getInt(8)).isZero();
        assertThat(out.getInt(12)).isEqualTo(77);
    }

    @Test
    void announceHasTheBep15Layout() {
        byte[] hashes = new byte[60];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = (byte) i;
        }
        byte[] peerId = new byte[20];
        Arrays.fill(peerId, (byte) 'p');
        Bep15Requests.announce(out, 0xAABBL, 5, hashes, 2, peerId, 10, 20, 30, 2, 0x1234, 50, 51413);
        assertThat(out.remaining()).isEqualTo(98);
        assertThat(out.getLong(0)).isEqualTo(0xAABBL);
        assertThat(out.getInt(8)).isEqualTo(1);
        assertThat(out.getInt(12)).isEqualTo(5);
        assertThat(out.get(16)).isEqualTo((byte) 40);
        assertThat(out.get(35)).isEqualTo((byte) 59);
        assertThat(out.get(36)).isEqualTo((byte) 'p');
        assertThat(out.getLong(56)).isEqualTo(10);
        assertThat(out.getLong(64)).isEqualTo(20);
        assertThat(out.getLong(72)).isEqualTo(30);
        assertThat(out.getInt(80)).isEqualTo(2);
        assertThat(out.getInt(84)).isZero();
        assertThat(out.getInt(88)).isEqualTo(0x1234);
        assertThat(out.getInt(92)).isEqualTo(50);
        assertThat(out.getShort(96) & 0xFFFF).isEqualTo(51413);
    }

    @Test
    void scrapeListsTheHashesInOrder() {
        byte[] hashes = new byte[100];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = (byte) i;
        }
        Bep15Requests.scrape(out, 1, 2, hashes, new int[] {4, 0}, 2);
        assertThat(out.remaining()).isEqualTo(16 + 40);
        assertThat(out.getInt(8)).isEqualTo(2);
        assertThat(out.get(16)).isEqualTo((byte) 80);
        assertThat(out.get(36)).isEqualTo((byte) 0);
        assertThatThrownBy(() -> Bep15Requests.scrape(out, 1, 2, hashes, new int[75], 75))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
