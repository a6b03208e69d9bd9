package io.shoal.tracker.protocol;

import static io.shoal.tracker.protocol.TestBytes.latin1;
import static io.shoal.tracker.protocol.TestBytes.seq20;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.tracker.peers.SwarmCounts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FullScrapeWriterTest {
    @Test
    void emptyDocument() {
        assertThat(latin1(new FullScrapeWriter().finish())).isEqualTo("d5:filesdee");
    }

    @Test
    void singleEntryBytes() {
        FullScrapeWriter w = new FullScrapeWriter();
        w.add(seq20(0), new SwarmCounts(1, 2, 3));
        assertThat(w.finish()).isEqualTo(HttpRepliesTest.concat(latin1("d5:filesd20:"), seq20(0),
                latin1("d8:completei1e10:downloadedi3e10:incompletei2eeee")));
    }

    @Test
    void manyTorrentsInRandomOrderComeOutSortedWithTheirCounts() {
        Random random = new Random(42);
        List<byte[]> hashes = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            byte[] h = new byte[20];
            random.nextBytes(h);
            if (i % 100 == 0) {
                h[0] = (byte) 0x80;   // shared prefixes exercise the full comparison
                h[1] = 0;
            }
            hashes.add(h);
        }
        FullScrapeWriter w = new FullScrapeWriter();
        for (int i = 0; i < hashes.size(); i++) {
            w.add(hashes.get(i), new SwarmCounts(i, i + 1, i * 10L));
        }
        assertThat(w.size()).isEqualTo(5000);
        @SuppressWarnings("unchecked")
        Map<String, Object> files = (Map<String, Object>) ((Map<String, Object>) Bencode.decode(w.finish())).get("files");
        // the strict decoder already refused unsorted keys; check every entry survived with its own counts
        assertThat(files).hasSize(5000);
        for (int i = 0; i < hashes.size(); i += 37) {
            @SuppressWarnings("unchecked")
            Map<String, Object> c = (Map<String, Object>) files.get(latin1(hashes.get(i)));
            assertThat(c).containsEntry("complete", (long) i).containsEntry("incomplete", i + 1L)
                    .containsEntry("downloaded", i * 10L);
        }
        List<byte[]> sorted = new ArrayList<>(hashes);
        sorted.sort(Arrays::compareUnsigned);
        assertThat(files.keySet().iterator().next()).isEqualTo(latin1(sorted.get(0)));
    }

    @Test
    void repeatedHashIsWrittenOnceWithItsFirstCounts() {
        FullScrapeWriter w = new FullScrapeWriter();
        w.add(seq20(1), new SwarmCounts(10, 0, 0));
        w.add(seq20(2), new SwarmCounts(20, 0, 0));
        w.add(seq20(1), new SwarmCounts(11, 0, 0));
        @SuppressWarnings("unchecked")
        Map<String, Object> files = (Map<String, Object>) ((Map<String, Object>) Bencode.decode(w.finish())).get("files");
        assertThat(files).hasSize(2);
        assertThat(((Map<?, ?>) files.get(latin1(seq20(1)))).get("complete")).isEqualTo(10L);
    }

    @Test
    void boundedAndSingleUse() {
        FullScrapeWriter w = new FullScrapeWriter(2);
        w.add(seq20(1), SwarmCounts.EMPTY);
        w.add(seq20(2), SwarmCounts.EMPTY);
        assertThatThrownBy(() -> w.add(seq20(3), SwarmCounts.EMPTY)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> w.add(new byte[19], SwarmCounts.EMPTY)).isInstanceOf(IllegalArgumentException.class);
        w.finish();
        assertThatThrownBy(w::finish).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new FullScrapeWriter(FullScrapeWriter.LIMIT + 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
