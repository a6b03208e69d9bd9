package io.shoal.tracker.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.shoal.tracker.peers.SwarmCounts;
import io.shoal.tracker.protocol.Bencode;
import io.shoal.tracker.protocol.HttpReplies;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScrapeFilesTest {

    private static byte[] hash(int first, int last) {
        byte[] h = new byte[20];
        h[0] = (byte) first;
        h[19] = (byte) last;
        return h;
    }

    private static ByteBuf answer(List<byte[]> hashes, int seeders) {
        List<SwarmCounts> counts = new ArrayList<>();
        for (int i = 0; i < hashes.size(); i++) {
            counts.add(new SwarmCounts(seeders + i, 1, 2));
        }
        ByteBuf b = Unpooled.buffer();
        HttpReplies.scrape(b, hashes, counts);
        return b;
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> files(ByteBuf merged) {
        Map<String, Object> doc = (Map<String, Object>) Bencode.decode(ByteBufUtil.getBytes(merged));
        return (Map<String, Map<String, Object>>) doc.get("files");
    }

    @Test
    void disjointAnswersMergeIntoOneSortedDocument() {
        ScrapeFiles a = ScrapeFiles.read(answer(List.of(hash(0x01, 1), hash(0xF0, 2), hash(0x80, 3)), 10));
        ScrapeFiles b = ScrapeFiles.read(answer(List.of(hash(0x7F, 4), hash(0xFF, 5)), 20));
        ScrapeFiles empty = ScrapeFiles.read(answer(List.of(), 0));
        assertThat(a.failure()).isNull();
        assertThat(a.size()).isEqualTo(3);
        ByteBuf out = Unpooled.buffer();
        assertThat(ScrapeFiles.merge(List.of(a, empty, b), out)).isEqualTo(5);
        Map<String, Map<String, Object>> files = files(out);   // the strict decoder refuses unsorted keys
        assertThat(files).hasSize(5);
        assertThat(files.get(new String(hash(0x7F, 4), StandardCharsets.ISO_8859_1)).get("complete")).isEqualTo(20L);
        assertThat(files.get(new String(hash(0x80, 3), StandardCharsets.ISO_8859_1)).get("complete")).isEqualTo(12L);
    }

    @Test
    void aKeyInTwoAnswersIsWrittenOnceFromTheFirst() {
        ScrapeFiles a = ScrapeFiles.read(answer(List.of(hash(5, 5)), 1));
        ScrapeFiles b = ScrapeFiles.read(answer(List.of(hash(5, 5), hash(6, 6)), 9));
        ByteBuf out = Unpooled.buffer();
        assertThat(ScrapeFiles.merge(List.of(a, b), out)).isEqualTo(2);
        assertThat(files(out).get(new String(hash(5, 5), StandardCharsets.ISO_8859_1)).get("complete")).isEqualTo(1L);
    }

    @Test
    void mergingNothingIsAnEmptyDocument() {
        ByteBuf out = Unpooled.buffer();
        assertThat(ScrapeFiles.merge(List.of(), out)).isZero();
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("d5:filesdee");
    }

    @Test
    void failureReasonIsRead() {
        ByteBuf b = Unpooled.buffer();
        HttpReplies.failure(b, "peer store unavailable");
        ScrapeFiles f = ScrapeFiles.read(b);
        assertThat(f.failure()).isEqualTo("peer store unavailable");
        assertThat(f.size()).isZero();
    }

    @Test
    void otherKeysAreSkipped() {
        ScrapeFiles f = ScrapeFiles.read(text("d5:filesd20:" + "a".repeat(20) + "d8:completei1eee5:flagsd20:min_request_intervali60eee"));
        assertThat(f.size()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "d", "d5:filesd", "d5:filesdee", "d5:filesdeex", "l5:filese", "d5:filesd2:bbi1e2:aai1eee",
            "d5:filesd2:aai1e2:aai1eee", "d5:filesd2:aai-ee", "d5:filesd2:aaiee", "d5:filesd99:aai1eee",
            "d5:filesd02:aai1eee", "d5:filesd2:aadddddddddddeeeeeeeeeee", "d5:filesdee5:filesdee", "d1:xx",
            "d5:filesd2:aaxee", "d14:failure reasoni1ee"})
    void malformedAnswersAreRefused(String bad) {
        String body = bad.equals("d5:filesdee") ? "d5:filesdee e" : bad;
        assertThatThrownBy(() -> ScrapeFiles.read(text(body))).isInstanceOf(IllegalArgumentException.class);
    }
}
