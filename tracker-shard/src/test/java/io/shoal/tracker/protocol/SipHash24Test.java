package io.shoal.tracker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SipHash24Test {
    // Key 00 01 .. 0f, as the SipHash paper's reference vectors use it (little-endian words).
    private static final long K0 = 0x0706050403020100L;
    private static final long K1 = 0x0f0e0d0c0b0a0908L;

    /** Reference outputs for messages 00, 00 01, 00 01 02, ... (index = message length), from the published table. */
    private static final long[] VECTORS = {
        0x726fdb47dd0e0e31L, 0x74f839c593dc67fdL, 0x0d6c8009d9a94f5aL, 0x85676696d7fb7e2dL,
        0xcf2794e0277187b7L, 0x18765564cd99a68dL, 0xcbc9466e58fee3ceL, 0xab0200f58b01d137L,
        0x93f5f5799a932462L, 0x9e0082df0ba9e4b0L, 0x7a5dbbc594ddb9f3L, 0xf4b32f46226bada7L,
        0x751e8fbc860ee5fbL, 0x14ea5627c0843d90L, 0xf723ca908e7af2eeL, 0xa129ca6149be45e5L,
        0x3f2acc7f57c29bdbL, 0x699ae9f52cbe4794L,
    };
    private static final long VECTOR_63 = 0x958a324ceb064572L;

    private static byte[] message(int length) {
        byte[] m = new byte[length];
        for (int i = 0; i < length; i++) {
            m[i] = (byte) i;
        }
        return m;
    }

    @Test
    void matchesReferenceVectors() {
        for (int len = 0; len < VECTORS.length; len++) {
            assertThat(SipHash24.hash(K0, K1, message(len), 0, len)).as("length %d", len).isEqualTo(VECTORS[len]);
        }
        assertThat(SipHash24.hash(K0, K1, message(63), 0, 63)).isEqualTo(VECTOR_63);
    }

    @Test
    void keyWordsAreReadLittleEndian() {
        byte[] key = message(16);
        assertThat(SipHash24.keyWord(key, 0)).isEqualTo(K0);
        assertThat(SipHash24.keyWord(key, 8)).isEqualTo(K1);
    }

    @Test
    void hashesARangeInsideALargerArray() {
        byte[] padded = new byte[40];
        Arrays.fill(padded, (byte) 0x5a);
        System.arraycopy(message(15), 0, padded, 7, 15);
        assertThat(SipHash24.hash(K0, K1, padded, 7, 15)).isEqualTo(VECTORS[15]);
    }

    @Test
    void suffixFormEqualsHashOfTheConcatenation() {
        int suffix = 0x01020304;
        for (int len = 0; len <= 16; len++) {
            byte[] data = message(len);
            byte[] joined = Arrays.copyOf(data, len + 4);
            joined[len] = 1;
            joined[len + 1] = 2;
            joined[len + 2] = 3;
            joined[len + 3] = 4;
            assertThat(SipHash24.hashWithSuffix(K0, K1, data, suffix))
                    .as("length %d", len).isEqualTo(SipHash24.hash(K0, K1, joined, 0, joined.length));
        }
        // message 00..0b followed by suffix 0c0d0e0f is the 16-byte reference message
        assertThat(SipHash24.hashWithSuffix(K0, K1, message(12), 0x0c0d0e0f)).isEqualTo(VECTORS[16]);
    }

    @Test
    void differentKeysGiveDifferentHashes() {
        assertThat(SipHash24.hash(K0 ^ 1, K1, message(8), 0, 8)).isNotEqualTo(VECTORS[8]);
        assertThat(SipHash24.hash(K0, K1 ^ (1L << 63), message(8), 0, 8)).isNotEqualTo(VECTORS[8]);
    }
}
