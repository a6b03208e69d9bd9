package io.shoal.tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.routing.Rebalancer;
import io.shoal.routing.SlotMap;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RoutingCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int runWithInput(String stdin, String... args) {
        CommandLine cl = ShoalMain.commandLine(Map.of());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        RoutingCommand routing = cl.getSubcommands().get("routing").getCommand();
        routing.stdin(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        return cl.execute(args);
    }

    private int run(String... args) {
        return runWithInput("", args);
    }

    private SlotMap printedMap() {
        return SlotMap.fromJson(out.toString());
    }

    @Test
    void initWithOneEndpointPerShardPrintsTheEvenMap() {
        int code = run("routing", "init", "--shards", "3",
                "--endpoint", "127.0.0.1:7001", "--endpoint", "127.0.0.1:7002,[::1]:7003");
        assertThat(code).as(err.toString()).isZero();
        assertThat(printedMap()).isEqualTo(SlotMap.even(3, k -> k == 2 ? "[::1]:7003" : "127.0.0.1:700" + (k + 1)));
        assertThat(out.toString()).startsWith("{\n  \"epoch\": 1,");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void initWithATemplateAndCompactOutput() {
        assertThat(run("routing", "init", "--shards", "4", "--endpoint-template", "shoal-shard-%d:6970", "--compact"))
                .isZero();
        assertThat(out.toString()).isEqualTo(SlotMap.even(4, k -> "shoal-shard-" + k + ":6970").toJson() + "\n");
    }

    @Test
    void initWithoutEndpointsWorksButSaysTheIngressNeedsThem() {
        assertThat(run("routing", "init", "--shards", "2")).isZero();
        assertThat(printedMap()).isEqualTo(SlotMap.even(2));
        assertThat(err.toString()).contains("no endpoints given");
    }

    @Test
    void initRefusesBadArgumentsWithExitTwo() {
        assertThat(run("routing", "init", "--shards", "3", "--endpoint", "a:1,b:2")).isEqualTo(2);
        assertThat(err.toString()).contains("3 expected, 2 given");
        assertThat(out.toString()).isEmpty();

        assertThat(run("routing", "init", "--shards", "0", "--endpoint-template", "s-%d:1")).isEqualTo(2);
        assertThat(err.toString()).contains("--shards must be 1..65536");

        assertThat(run("routing", "init", "--shards", "1", "--endpoint", "::1:6970")).isEqualTo(2);
        assertThat(err.toString()).contains("needs brackets");

        assertThat(run("routing", "init", "--shards", "2", "--endpoint-template", "shard:6970")).isEqualTo(2);
        assertThat(err.toString()).contains("%d exactly once");

        assertThat(run("routing", "init", "--shards", "2", "--endpoint-template", "s-%d:6970", "--endpoint", "a:1,b:1"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("not both");

        assertThat(run("routing", "init", "--shards", "70000", "--endpoint-template", "127.0.0.%d:6970")).isEqualTo(2);
        assertThat(run("routing", "init", "--shards", "300", "--endpoint-template", "127.0.0.%d:6970")).isEqualTo(2);
        assertThat(err.toString()).contains("shard 256");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void rebalanceReadsStdinPrintsTheNextMapAndReportsMovesOnStderr() {
        SlotMap three = SlotMap.even(3, k -> "shoal-shard-" + k + ":6970");
        int code = runWithInput(three.toPrettyJson(), "routing", "rebalance", "--shards", "4", "--endpoint", "shoal-shard-3:6970");
        assertThat(code).as(err.toString()).isZero();
        SlotMap four = printedMap();
        assertThat(four).isEqualTo(Rebalancer.rebalance(three, 4, k -> "shoal-shard-3:6970"));
        assertThat(four.epoch()).isEqualTo(2);
        assertThat(err.toString()).contains("epoch 1 -> 2, shards 3 -> 4: 16384 of 65536 slots move (25.00%)")
                .contains("shard 0 -> shard 3: 5462 slots in 1 range 16384..21845")
                .contains("shard 1 -> shard 3: 5461 slots in 1 range 38230..43690")
                .contains("shard 2 -> shard 3: 5461 slots in 1 range 60075..65535");
    }

    @Test
    void rebalanceFromAFileShrinkingNeedsNoEndpointsAndNamesTheRemovedShards() throws Exception {
        SlotMap four = Rebalancer.rebalance(SlotMap.even(3, k -> "s" + k + ":1"), 4, k -> "s" + k + ":1");
        Path file = dir.resolve("routing.json");
        Files.writeString(file, four.toJson());
        int code = run("routing", "rebalance", "--shards", "2", "--from", file.toString(), "--compact");
        assertThat(code).as(err.toString()).isZero();
        SlotMap two = printedMap();
        assertThat(two.shardCount()).isEqualTo(2);
        assertThat(two.epoch()).isEqualTo(3);
        assertThat(two.shardsWithoutEndpoint()).isEmpty();
        assertThat(err.toString()).contains("shards 4 -> 2: 32768 of 65536 slots move")
                .contains("shards 2..3 own nothing now");
    }

    @Test
    void rebalanceRefusesMissingOrSurplusEndpointsAndInvalidDocuments() throws Exception {
        String three = SlotMap.even(3, k -> "s" + k + ":1").toJson();
        assertThat(runWithInput(three, "routing", "rebalance", "--shards", "5")).isEqualTo(2);
        assertThat(err.toString()).contains("the 2 new shards need them too");
        assertThat(out.toString()).isEmpty();

        assertThat(runWithInput(three, "routing", "rebalance", "--shards", "5", "--endpoint", "s3:1")).isEqualTo(2);
        assertThat(err.toString()).contains("new shard (3..4): 2 expected, 1 given");

        assertThat(runWithInput(three, "routing", "rebalance", "--shards", "2", "--endpoint", "s3:1")).isEqualTo(2);
        assertThat(err.toString()).contains("no shard is new");

        err.getBuffer().setLength(0);
        assertThat(runWithInput("{\"epoch\":1,\"shards\":[{\"shard\":0,\"ranges\":[[0,100]]}]}",
                "routing", "rebalance", "--shards", "2")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("routing rebalance: standard input: invalid slot map: slot 101 has no owner\n");

        err.getBuffer().setLength(0);
        assertThat(run("routing", "rebalance", "--shards", "2", "--from", dir.resolve("nope.json").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).endsWith("nope.json: no such file\n").doesNotContain("\n\n");

        err.getBuffer().setLength(0);
        assertThat(runWithInput("{\"epoch\":1,", "routing", "rebalance", "--shards", "2")).isEqualTo(2);
        assertThat(err.toString()).startsWith("routing rebalance: standard input: invalid slot map")
                .hasLineCount(1);

        assertThat(runWithInput("", "routing", "rebalance", "--shards", "2")).isEqualTo(2);
        assertThat(err.toString()).contains("standard input is empty");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void rebalanceNamesASingleRemovedShardInTheSingular() {
        assertThat(runWithInput(SlotMap.even(2).toJson(), "routing", "rebalance", "--shards", "1")).isZero();
        assertThat(err.toString()).contains("shard 1 -> shard 0: 32768 slots in 1 range 32768..65535")
                .contains("  shard 1 owns nothing now and can be removed once its slots have been copied");
    }

    @Test
    void rebalanceOfAMapWithoutEndpointsNeedsNone() {
        assertThat(runWithInput(SlotMap.even(1).toJson(), "routing", "rebalance", "--shards", "3")).isZero();
        assertThat(printedMap().shardsWithoutEndpoint()).containsExactly(0, 1, 2);
        assertThat(err.toString()).contains("43690 of 65536 slots move");
    }

    @Test
    void showSummarisesAValidMap() throws Exception {
        Path file = dir.resolve("routing.json");
        Files.writeString(file, Rebalancer.rebalance(SlotMap.even(3, k -> "s" + k + ":6970"), 4, k -> null).toPrettyJson());
        assertThat(run("routing", "show", file.toString())).isZero();
        assertThat(out.toString()).contains("epoch 2, 4 shards, 1 without endpoint (an ingress refuses this map)")
                .contains("  shard 0: 16384 slots (25.00%) in 1 range 0..16383, endpoint s0:6970")
                .contains("  shard 3: 16384 slots (25.00%) in 3 ranges 16384..21845, 38230..43690, 60075..65535, "
                        + "endpoint none");
    }

    @Test
    void showOfStdinAndOfInvalidDocuments() throws Exception {
        assertThat(runWithInput(SlotMap.even(2, k -> "[::1]:700" + k).toJson(), "routing", "show")).isZero();
        assertThat(out.toString()).startsWith("epoch 1, 2 shards, every shard has an endpoint\n");

        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"epoch\":1,\"shards\":[{\"shard\":0,\"ranges\":[[0,65535]],\"endpiont\":\"a:1\"}]}");
        err.getBuffer().setLength(0);
        assertThat(run("routing", "show", bad.toString())).isEqualTo(2);
        assertThat(err.toString()).hasLineCount(1).contains("bad.json: invalid slot map").contains("endpiont");

        Files.write(bad, new byte[] {'{', (byte) 0xC3, '}'});
        err.getBuffer().setLength(0);
        assertThat(run("routing", "show", bad.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("is not UTF-8 text");

        err.getBuffer().setLength(0);
        assertThat(run("routing", "show", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("is a directory");
    }

    @Test
    void routingAloneShowsItsSubcommands() {
        assertThat(run("routing")).isEqualTo(2);
        assertThat(err.toString()).contains("init").contains("rebalance").contains("show");
    }
}
