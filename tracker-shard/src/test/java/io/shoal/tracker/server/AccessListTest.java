package io.shoal.tracker.server;

import static io.shoal.tracker.server.Bytes.hex;
import static io.shoal.tracker.server.Bytes.id20;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessListTest {

    @Test
    void parsesHashesCommentsAndBlankLinesAndReportsBadLines() {
        List<String> bad = new ArrayList<>();
        AccessList list = AccessList.parse(AccessMode.ALLOW, List.of(
                "# allowed torrents",
                "",
                "  " + hex(id20(1)) + "  ",
                hex(id20(2)).toUpperCase() + " # trailing comment",
                "not-a-hash",
                hex(id20(3)).substring(0, 39) + "g",
                hex(id20(1))), (line, number) -> bad.add(number + ":" + line));
        assertThat(list.size()).as("duplicates kept once").isEqualTo(2);
        assertThat(list.allows(id20(1))).isTrue();
        assertThat(list.allows(id20(2))).isTrue();
        assertThat(list.allows(id20(3))).isFalse();
        assertThat(bad).containsExactly("5:not-a-hash", "6:" + hex(id20(3)).substring(0, 39) + "g");
    }

    @Test
    void modesDecideWhatListedMeans() {
        List<byte[]> listed = List.of(id20(1), id20(200), id20(77));
        AccessList allow = AccessList.of(AccessMode.ALLOW, listed);
        AccessList deny = AccessList.of(AccessMode.DENY, listed);
        for (byte[] h : listed) {
            assertThat(allow.allows(h)).isTrue();
            assertThat(deny.allows(h)).isFalse();
        }
        assertThat(allow.allows(id20(5))).isFalse();
        assertThat(deny.allows(id20(5))).isTrue();
        assertThat(deny.allowsAll()).isFalse();
    }

    @Test
    void emptyListsAllowAllOrNothing() {
        assertThat(AccessList.OPEN.allowsAll()).isTrue();
        assertThat(AccessList.OPEN.allows(id20(9))).isTrue();
        assertThat(AccessList.of(AccessMode.ALLOW, List.of()).allows(id20(9))).isFalse();
    }

    @Test
    void rejectsHashesOfTheWrongLength() {
        assertThatThrownBy(() -> AccessList.of(AccessMode.DENY, List.of(new byte[19])))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
