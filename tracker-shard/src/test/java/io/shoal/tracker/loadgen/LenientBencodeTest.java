package io.shoal.tracker.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LenientBencodeTest {

    private static Object decode(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return LenientBencode.decode(b, 0, b.length);
    }

    @Test
    void acceptsKeysOutOfOrderButNothingElseMalformed() {
        Object v = decode("d1:bi2e1:ali-3el1:xeee");
        assertThat(v).isInstanceOf(Map.class);
        Map<?, ?> m = (Map<?, ?>) v;
        assertThat(m.get("b")).isEqualTo(2L);
        assertThat((java.util.List<?>) m.get("a")).hasSize(2);
        assertThatThrownBy(() -> decode("d1:ai1e1:ai2ee")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> decode("d1:ai1e")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> decode("5:ab")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> decode("ie")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> decode("i1ex")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> decode("l".repeat(40) + "e".repeat(40))).isInstanceOf(IllegalArgumentException.class);
    }
}
