package io.shoal.tracker.protocol;

import static io.shoal.tracker.protocol.TestBytes.pct;
import static io.shoal.tracker.protocol.TestBytes.seq20;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HttpScrapeParserTest {
    private static List<byte[]> parse(String query, int max) {
        return HttpScrapeParser.parse(HttpQuery.parse(query), max);
    }

    @Test
    void noHashAsksForAFullScrape() {
        assertThat(parse("", 10)).isEmpty();
        assertThat(parse("foo=bar", 10)).isEmpty();
    }

    @Test
    void keepsOrderAndDropsDuplicates() {
        List<byte[]> hashes = parse("info_hash=" + pct(seq20(50)) + "&x=1&info_hash=" + pct(seq20(1))
                + "&info_hash=" + pct(seq20(50)), 10);
        assertThat(hashes).containsExactly(seq20(50), seq20(1));
    }

    @Test
    void everyHashMustBeTwentyBytes() {
        assertThatThrownBy(() -> parse("info_hash=" + pct(seq20(1)) + "&info_hash=" + pct(new byte[19]), 10))
                .isInstanceOf(ProtocolException.class).hasMessage("info_hash must be 20 bytes");
        assertThatThrownBy(() -> parse("info_hash=", 10))
                .isInstanceOf(ProtocolException.class).hasMessage("info_hash must be 20 bytes");
    }

    @Test
    void boundedByMaxHashes() {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            q.append("&info_hash=").append(pct(seq20(i * 20)));
        }
        assertThat(parse(q.toString(), 5)).hasSize(5);
        // duplicates do not count against the bound
        assertThat(parse(q + "&info_hash=" + pct(seq20(0)), 5)).hasSize(5);
        assertThatThrownBy(() -> parse(q.toString(), 4))
                .isInstanceOf(ProtocolException.class).hasMessage("too many info_hash values");
    }
}
