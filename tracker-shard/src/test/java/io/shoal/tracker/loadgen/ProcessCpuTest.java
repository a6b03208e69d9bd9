package io.shoal.tracker.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {

    @Test
    void readsUtimePlusStimeEvenWhenTheCommandNameHoldsSpacesAndParentheses() {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 75 0 0 20 0 30 0 1 2 3";
        assertThat(ProcessCpu.ticks(stat)).isEqualTo(325);
        assertThat(ProcessCpu.statusKiB("Name:\tjava\nVmRSS:\t  123456 kB\nVmHWM:\t1 kB\n", "VmRSS:"))
                .isEqualTo(123456);
    }

    @Test
    void measuresThisProcessAndRefusesAMissingOne() {
        ProcessCpu self = new ProcessCpu(List.of(ProcessHandle.current().pid()));
        double before = self.cpuSeconds();
        long spin = System.nanoTime() + 300_000_000L;
        long sink = 0;
        while (System.nanoTime() < spin) {
            sink += System.nanoTime() % 7;
        }
        assertThat(sink).isNotNegative();
        assertThat(self.cpuSeconds()).isGreaterThan(before);
        assertThat(self.rssKiB()).isPositive();
        assertThatThrownBy(() -> new ProcessCpu(List.of(Long.MAX_VALUE))).isInstanceOf(IllegalArgumentException.class);
    }
}
