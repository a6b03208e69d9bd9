package io.shoal.tracker.protocol;

import static io.shoal.tracker.protocol.TestBytes.drain;
import static io.shoal.tracker.protocol.TestBytes.latin1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BencodeTest {
    private static String integer(long v) {
        ByteBuf out = TestBytes.buffer();
        Bencode.writeInt(out, v);
        return latin1(drain(out));
    }

    @Test
    void writesIntegers() {
        assertThat(integer(0)).isEqualTo("i0e");
        assertThat(integer(7)).isEqualTo("i7e");
        assertThat(integer(10)).isEqualTo("i10e");
        assertThat(integer(-1)).isEqualTo("i-1e");
        assertThat(integer(1800)).isEqualTo("i1800e");
        assertThat(integer(Long.MAX_VALUE)).isEqualTo("i9223372036854775807e");
        assertThat(integer(Long.MIN_VALUE)).isEqualTo("i-9223372036854775808e");
    }

    @Test
    void writesStrings() {
        ByteBuf out = TestBytes.buffer();
        Bencode.writeString(out, new byte[] {0, (byte) 0xff, ':'});
        Bencode.writeString(out, "");
        Bencode.writeString(out, "caf\u00e9");   // UTF-8: 5 bytes
        Bencode.writeString(out, TestBytes.seq20(0), 18, 2);
        assertThat(drain(out)).isEqualTo(TestBytes.hex("333a00ff3a" + "303a" + "353a636166c3a9" + "323a1213"));
    }

    @Test
    void writesNestedStructures() {
        ByteBuf out = TestBytes.buffer();
        Bencode.beginDict(out);
        out.writeBytes(Bencode.key("a"));
        Bencode.beginList(out);
        Bencode.writeInt(out, 1);
        Bencode.writeString(out, "x");
        Bencode.end(out);
        out.writeBytes(Bencode.key("b"));
        Bencode.beginDict(out);
        Bencode.end(out);
        Bencode.end(out);
        assertThat(latin1(drain(out))).isEqualTo("d1:ali1e1:xe1:bdee");
        assertThat(latin1(Bencode.key("min interval"))).isEqualTo("12:min interval");
    }

    @Test
    void decodesEveryType() {
        Object v = Bencode.decode(latin1("d4:listli1ei-20e0:e3:num" + "i42e3:str3:\u00ff:ze"));
        assertThat(v).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        assertThat(m.keySet()).containsExactly("list", "num", "str");
        List<?> list = (List<?>) m.get("list");
        assertThat(list.get(0)).isEqualTo(1L);
        assertThat(list.get(1)).isEqualTo(-20L);
        assertThat((byte[]) list.get(2)).isEmpty();
        assertThat(m.get("num")).isEqualTo(42L);
        assertThat((byte[]) m.get("str")).containsExactly(0xff, ':', 'z');
        assertThat(Bencode.decode(latin1("i-9223372036854775808e"))).isEqualTo(Long.MIN_VALUE);
        assertThat(Bencode.decode(latin1("i9223372036854775807e"))).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void binaryKeysKeepEveryByte() {
        Map<?, ?> m = (Map<?, ?>) Bencode.decode(latin1("d2:\u0001\u00ffi1e2:\u00ff\u0001i2ee"));
        assertThat(m.get("\u0001\u00ff")).isEqualTo(1L);
        assertThat(m.get("\u00ff\u0001")).isEqualTo(2L);
    }

    @Test
    void refusesMalformedInput() {
        String[] bad = {
            "", "i", "i1", "ie", "i-e", "i03e", "i-0e", "i1xe", "i9223372036854775808e", "i-9223372036854775809e",
            "3:ab", "-1:", "01:a", "x", "l", "li1e", "d", "d1:ai1e", "di1ei2ee",
            "d1:bi1e1:ai2ee",   // keys out of order
            "d1:ai1e1:ai2ee",   // repeated key
            "i1ei2e",           // trailing bytes
            "99999999999:a",
        };
        for (String b : bad) {
            assertThatThrownBy(() -> Bencode.decode(latin1(b))).as(b)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("bencode:");
        }
    }

    @Test
    void keysAreComparedAsUnsignedBytes() {
        // 0x7f < 0x80 when bytes are unsigned
        assertThat(Bencode.decode(latin1("d1:\u007fi1e1:\u0080i2ee"))).isInstanceOf(Map.class);
        assertThatThrownBy(() -> Bencode.decode(latin1("d1:\u0080i1e1:\u007fi2ee")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void depthIsBounded() {
        int max = Bencode.MAX_DECODE_DEPTH;
        assertThat(Bencode.decode(latin1("l".repeat(max) + "e".repeat(max)))).isInstanceOf(List.class);
        assertThatThrownBy(() -> Bencode.decode(latin1("l".repeat(max + 1) + "e".repeat(max + 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nested deeper");
        // a hostile document deep enough to blow a stack is refused early, not with StackOverflowError
        assertThatThrownBy(() -> Bencode.decode(latin1("l".repeat(100_000))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Bencode.decode(latin1("ld1:al"), 2))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
