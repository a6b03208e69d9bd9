package io.shoal.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SlotsTest {

    @Test
    void slotIsTheFirstTwoBytesBigEndian() {
        byte[] hash = new byte[20];
        hash[0] = (byte) 0xAB;
        hash[1] = (byte) 0xCD;
        hash[2] = (byte) 0xFF;
        assertThat(Slots.of(hash)).isEqualTo(0xABCD);
    }

    @Test
    void extremesMapToFirstAndLastSlot() {
        assertThat(Slots.of(new byte[20])).isZero();
        byte[] ones = new byte[20];
        java.util.Arrays.fill(ones, (byte) 0xFF);
        assertThat(Slots.of(ones)).isEqualTo(Slots.COUNT - 1);
    }

    @Test
    void hexIsFourDigits() {
        assertThat(Slots.hex(0)).isEqualTo("0000");
        assertThat(Slots.hex(0x0a1)).isEqualTo("00a1");
        assertThat(Slots.hex(0xffff)).isEqualTo("ffff");
        assertThatThrownBy(() -> Slots.hex(65536)).isInstanceOf(IllegalArgumentException.class);
    }
}
