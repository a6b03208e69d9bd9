package io.shoal.tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.routing.SlotRange;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingReportTest {

    @Test
    void manyRangesAreCountedButOnlyTheFirstFewListed() {
        List<SlotRange> ranges = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ranges.add(new SlotRange(i * 10, i * 10 + 4));
        }
        assertThat(RoutingReport.ranges(ranges)).isEqualTo("10 ranges 0..4, 10..14, 20..24, 30..34, ...");
        assertThat(RoutingReport.ranges(List.of())).isEqualTo("no range");
        assertThat(RoutingReport.ranges(List.of(new SlotRange(7, 7)))).isEqualTo("1 range 7..7");
    }

    @Test
    void oneLineKeepsTheFirstLineOfAMessage() {
        assertThat(RoutingDocuments.oneLine("bad thing\n at [Source: x]")).isEqualTo("bad thing");
        assertThat(RoutingDocuments.oneLine(null)).isEqualTo("invalid");
    }
}
