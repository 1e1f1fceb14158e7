package dev.cortado.devnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.dashboard.DashboardServer;
import dev.cortado.devnet.testing.Await;
import dev.cortado.devnet.run.Devnet;
import dev.cortado.devnet.run.DevnetNetwork;
import dev.cortado.devnet.run.DevnetValidators;
import dev.cortado.devnet.run.StorySnapshot;
import dev.cortado.devnet.run.StoryView;
import dev.cortado.devnet.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cortado status}: over a real dashboard server, it prints the devnet's own line and its nodes and rights;
 * with {@code --node}, four real nodes in this JVM answer for themselves.
 */
class StatusCommandTest {
    @TempDir Path out;

    @Test
    void printsTheSameLineAsTheDevnetFromItsSnapshot() throws Exception {
        StorySnapshot s = snapshot();
        try (DashboardServer dashboard = DashboardServer.start(0, () -> s)) {
            Files.writeString(out.resolve(Devnet.DASHBOARD_URL_FILE), dashboard.url() + "\n");
            CliRun r = CliRun.of("status", "--devnet", "--out", out.toString());
            assertEquals(0, r.code(), r.err());
            List<String> lines = r.out().lines().toList();
            assertEquals(StoryView.line(s), lines.getFirst(), "the terminal's line, after a JSON round trip");
            assertTrue(lines.getFirst().contains("alpha fallback (swapper silent)"), lines.getFirst());
            assertEquals("nodes: node 0 h130 v140 3 peers broker 127.0.0.1:4000 rejected 0; node 1 unreachable", lines.get(1));
            assertEquals("rights enforced after height 120 (window 6, slot 51): 20001 fallback default (alpha)", lines.get(2));
            assertEquals("demo users: 200 sent, 10 unanswered by a silent winner, 0 refused", lines.get(3));
            assertEquals(StatusCommand.render(s), lines);
        }
    }

    @Test
    void saysWhyWhenNoDevnetRuns() throws Exception {
        CliRun r = CliRun.of("status", "--devnet", "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no devnet is running from " + out), r.err());
        Files.writeString(out.resolve(Devnet.DASHBOARD_URL_FILE), "http://example.com/\n");
        CliRun remote = CliRun.of("status", "--devnet", "--out", out.toString());
        assertEquals(1, remote.code());
        assertTrue(remote.err().contains("does not hold a local dashboard URL"), remote.err());
        int port;
        try (DashboardServer gone = DashboardServer.start(0, () -> snapshot())) {
            port = gone.url().getPort();
        }
        Files.writeString(out.resolve(Devnet.DASHBOARD_URL_FILE), "http://127.0.0.1:" + port + "/\n");
        CliRun stopped = CliRun.of("status", "--devnet", "--out", out.toString());
        assertEquals(1, stopped.code());
        assertTrue(stopped.err().contains("does not answer; is the devnet still running?"), stopped.err());
    }

    @Test
    void asksNodesDirectlyForTheirHealthAndRights() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String gone = "http://127.0.0.1:" + closed + "/";
        try (DevnetNetwork network = DevnetNetwork.start(DevnetValidators.generate(4, 3), 0xC0A7AD0L, out.resolve("nodes"))) {
            Await.until("HotShot to decide", 60_000, () -> network.height() > 1, () -> "height " + network.height());
            CliRun r = CliRun.of("status", "--node", network.apiUrls().get(0).toString(), "--node", network.apiUrls().get(1).toString(),
                    "--node", gone);
            assertEquals(0, r.code(), r.err());
            List<String> lines = r.out().lines().toList();
            assertTrue(lines.get(0).matches("nodes: node 0 h\\d+ v\\d+ \\d+ peers (broker \\S+|direct) rejected \\d+; "
                    + "node 1 h\\d+ v\\d+ \\d+ peers (broker \\S+|direct) rejected \\d+; node 2 unreachable"), lines.get(0));
            assertEquals("rights: no node reports sequencing rights yet", lines.get(1), "these nodes follow no L1");
        }
        CliRun none = CliRun.of("status", "--node", gone);
        assertEquals(1, none.code());
        assertTrue(none.err().contains("no node answered"), none.err());
        CliRun ftp = CliRun.of("status", "--node", "ftp://127.0.0.1/");
        assertEquals(1, ftp.code());
        assertTrue(ftp.err().contains("--node must be an http(s) URL"), ftp.err());
        CliRun both = CliRun.of("status", "--devnet", "--node", gone);
        assertEquals(1, both.code());
        assertTrue(both.err().contains("not both"), both.err());
    }


    @Test
    void theLineNamesTheNewestBatchOfEachPoster() {
        // Newest first, as the view keeps them: the rollup's own calldata batch, the network's blob, an older calldata one.
        StorySnapshot s = snapshot(List.of(
                new StorySnapshot.BatchRow("10001", 111, 130, 9000, 2700, 0.3, "calldata", 200000, "200", "22", 90, "0xc0"),
                new StorySnapshot.BatchRow("all", 100, 110, 11200, 2800, 0.25, "blob", 60000, "100", "1", 84, "0xfeed"),
                new StorySnapshot.BatchRow("10001", 100, 110, 8000, 2000, 0.25, "calldata", 190000, "190", "23", 80, "0xc1")));
        String line = StoryView.line(s);
        assertTrue(line.endsWith("| last batch 10001 111-130, 9000 B, 0.30x, calldata; all 100-110, 11200 B, 0.25x, blob"), line);
    }

    private static StorySnapshot snapshot() {
        return snapshot(List.of(new StorySnapshot.BatchRow("all", 100, 110, 11200, 2800, 0.25, "blob", 60000, "100", "1", 84,
                "0xfeed")));
    }

    private static StorySnapshot snapshot(List<StorySnapshot.BatchRow> batches) {
        String swapper = "0x00000000000000000000000000000000000000b1";
        StorySnapshot.NetworkRights rights = new StorySnapshot.NetworkRights(120, 6, 51, List.of(
                new StorySnapshot.NamespaceRight(20001, "default (alpha)", "0x00000000000000000000000000000000000000d1", "fallback")));
        var holders = List.of(new dev.cortado.devnet.run.DemoMarket.HolderRow("alpha", 20001, "4000000000000000", "swapper",
                swapper, "0"));
        var row = new dev.cortado.devnet.run.DemoMarket.WindowRow(6, "FINAL", 41, 44, 46, 48, List.of(), "9000000000000000",
                holders, true, "");
        return new StorySnapshot(1_700_000_000_000L, new StorySnapshot.Clock(1_700_000_000L, 2, 51, 6, 8, 3, 2, 2, 3, 90),
                new StorySnapshot.Parts(true, true, true, 3, true, true),
                new StorySnapshot.HotShot(130, 140, 2, 1.5, List.of(new long[] {1_700_000_000_000L, 130})),
                new StorySnapshot.LightClient(110, 85, 5, 20),
                batches,
                List.of(row), new StorySnapshot.Transactions(List.of(new dev.cortado.devnet.run.TxTracker.Tx("0xab", "alpha",
                        20001, "swap", "swapper", 1_700_000_000_000L, 40L, "l1_final", null, 900L, 42L, 8000L, 77L)),
                        12, 100, 400, 200, 10, 0, ""),
                List.of(new StorySnapshot.NodeHealth(0, 130, 140, 3, "broker 127.0.0.1:4000", 0, true),
                        new StorySnapshot.NodeHealth(1, -1, -1, 0, "unreachable", 0, false)), rights, Map.of("swapper", 3L), "");
    }
}
