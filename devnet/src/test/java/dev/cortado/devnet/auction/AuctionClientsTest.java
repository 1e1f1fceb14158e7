package dev.cortado.devnet.auction;

import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.ok;
import static dev.cortado.devnet.contracts.support.Chain.tm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.contracts.generated.SequencingMarketplace;
import dev.cortado.devnet.cli.CortadoCli;
import dev.cortado.devnet.contracts.support.Auction;
import dev.cortado.devnet.contracts.support.OnAnvil;
import dev.cortado.devnet.testing.Await;
import dev.cortado.settlement.auction.BidJournal;
import dev.cortado.settlement.auction.Bidder;
import dev.cortado.settlement.auction.MarketplaceGateway;
import dev.cortado.settlement.auction.PendingBid;
import dev.cortado.settlement.auction.PendingBid.Stage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two bidders and a resolver through a whole window on Anvil. Bidder A runs in this JVM; bidder B is
 * {@code cortado bid} in a separate JVM, SIGKILLed after its commit and started again in the reveal
 * phase, when it must reveal from its journal and so forfeit nothing. The resolver is
 * {@code cortado resolve}. Slots are 12 s of Anvil time; window 1 commits in slots 3-5, reveals in 6-7,
 * resolves in 8-9, is final (and settles) from slot 10 and starts at slot 12.
 */
class AuctionClientsTest extends OnAnvil {
    private static final long SLOT_SECONDS = 12;
    private static final long BOND_WEI = 100;
    private static final long COMMIT_FEE_WEI = 10;

    @Test
    void twoBiddersAndAResolverThroughAWindowWithABidderKilledBetweenCommitAndReveal(@TempDir Path tmp) throws Exception {
        Credentials operator = l1.accounts().get(0);
        Credentials a = l1.accounts().get(1);
        Credentials b = l1.accounts().get(2);
        Credentials resolverKey = l1.accounts().get(3);
        String treasury = l1.accounts().get(9).getAddress();
        long genesis = l1.latestTimestampSec();
        var params = Auction.params(genesis, SLOT_SECONDS, 12, 3, 2, 2, 2, 50, 64, BOND_WEI, COMMIT_FEE_WEI, treasury);
        var m = SequencingMarketplace.deploy(l1.web3j(), tm(l1, operator), GAS, params, operator.getAddress()).send();
        String market = m.getContractAddress();
        ok(m.registerRollup(BigInteger.valueOf(100), operator.getAddress(), BigInteger.valueOf(1_000), "0x00000000000000000000000000000000000000a2",
                "0x00000000000000000000000000000000000000a1"));
        ok(m.registerRollup(BigInteger.valueOf(200), operator.getAddress(), BigInteger.valueOf(3_000), "0x00000000000000000000000000000000000000b2",
                "0x00000000000000000000000000000000000000b1"));
        ok(m.registerRollup(BigInteger.valueOf(300), operator.getAddress(), BigInteger.valueOf(500), "0x00000000000000000000000000000000000000c2",
                "0x00000000000000000000000000000000000000c1"));
        Auction clock = new Auction(l1, genesis, SLOT_SECONDS);
        clock.goToSlot(3);

        // B: a separate JVM, killed once its commit is journaled as on L1.
        Path bState = tmp.resolve("b-state");
        List<String> bArgs = List.of("bid", "--rpc", l1.rpcUrl(), "--marketplace", market, "--key",
                b.getEcKeyPair().getPrivateKey().toString(16), "--state-dir", bState.toString(), "--window", "1",
                "--bundle", "2", "--amount", "2000", "--collateral", "2500", "--poll", "100ms");
        Process first = startCli(bArgs, tmp.resolve("b-first.log"));
        try {
            Await.until("B's commit on L1", 60_000, () -> stages(bState).contains(Stage.COMMITTED), () -> log(tmp, "b-first.log"));
            assertTrue(first.isAlive(), "B waits for the reveal phase");
            first.destroyForcibly(); // SIGKILL on Linux
            assertTrue(first.waitFor(10, TimeUnit.SECONDS));
            assertEquals(137, first.exitValue(), "killed by SIGKILL");
        } finally {
            first.destroyForcibly();
        }
        assertEquals(1, m.bidCount(BigInteger.ONE).send().intValue());

        // A: in this JVM, through the same client classes.
        try (MarketplaceGateway ga = MarketplaceGateway.connect(l1.rpcUrl(), market, a);
                BidJournal ja = BidJournal.open(tmp.resolve("a-state"))) {
            List<String> aLog = new ArrayList<>();
            Bidder bidderA = new Bidder(ga, ja, aLog::add);
            IllegalArgumentException noBond = assertThrows(IllegalArgumentException.class, () -> bidderA.prepare(
                    new Bidder.Request(1, BigInteger.valueOf(0b011), BigInteger.valueOf(5_000), BigInteger.valueOf(5_099),
                            a.getAddress())));
            assertEquals("the collateral (5099 wei) must cover the amount (5000 wei) plus the marketplace's bond (100 wei)",
                    noBond.getMessage());
            assertTrue(ja.entries().isEmpty(), "a refused request journals nothing");
            bidderA.prepare(new Bidder.Request(1, BigInteger.valueOf(0b011), BigInteger.valueOf(5_000),
                    BigInteger.valueOf(5_100), a.getAddress()));
            assertFalse(bidderA.step());
            assertEquals(Stage.COMMITTED, ja.entries().getFirst().stage(), aLog.toString());
            assertEquals(2, m.bidCount(BigInteger.ONE).send().intValue());

            clock.goToSlot(6);
            bidderA.step();
            assertEquals(Stage.REVEALED, ja.entries().getFirst().stage(), aLog.toString());

            // B restarts with the same command: it finds its journal and reveals, never committing again.
            Process second = startCli(bArgs, tmp.resolve("b-second.log"));
            try {
                int bId = (int) journal(bState).getFirst().bidId();
                Await.until("B's reveal after the restart", 60_000,
                        () -> ga.bidOf(1, bId).revealed(), () -> log(tmp, "b-second.log"));
                assertEquals(2, m.bidCount(BigInteger.ONE).send().intValue(), "the restart did not bid twice");

                clock.goToSlot(8);
                String key = resolverKey.getEcKeyPair().getPrivateKey().toString(16);
                var cli = CortadoCli.newCommandLine();
                // 7000 wei of revenue does not pay for ~110k gas: the resolver says so and sends nothing.
                StringWriter unprofitable = new StringWriter();
                cli.setOut(new PrintWriter(unprofitable));
                assertEquals(0, cli.execute("resolve", "--rpc", l1.rpcUrl(), "--marketplace", market, "--key", key,
                        "--window", "1"), unprofitable.toString());
                assertTrue(unprofitable.toString().contains("does not pay for"), unprofitable.toString());
                assertEquals(0, m.resultOf(BigInteger.ONE).send().component2().size());
                StringWriter out = new StringWriter();
                cli.setOut(new PrintWriter(out));
                assertEquals(0, cli.execute("resolve", "--rpc", l1.rpcUrl(), "--marketplace", market, "--key", key,
                        "--window", "1", "--even-if-unprofitable"), out.toString());
                assertTrue(out.toString().contains("submitted"), out.toString());
                var result = m.resultOf(BigInteger.ONE).send();
                assertEquals(BigInteger.valueOf(7_000), result.component1());
                assertEquals(List.of(BigInteger.ZERO, BigInteger.ONE), result.component2());

                // A second resolver run finds nothing better to send.
                StringWriter again = new StringWriter();
                cli.setOut(new PrintWriter(again));
                assertEquals(0, cli.execute("resolve", "--rpc", l1.rpcUrl(), "--marketplace", market, "--key", key,
                        "--window", "1", "--even-if-unprofitable"));
                assertTrue(again.toString().contains("as good"), again.toString());

                clock.goToSlot(10);
                assertTrue(bidderA.runUntilDone(50, 30_000), aLog.toString());
                assertTrue(second.waitFor(60, TimeUnit.SECONDS), log(tmp, "b-second.log"));
                assertEquals(0, second.exitValue(), log(tmp, "b-second.log"));
            } finally {
                second.destroyForcibly();
            }
            assertEquals(List.of(Stage.SETTLED), stages(bState));
            // B won bundle {2} at 2000 of its 2500 collateral: 500 back, nothing forfeited.
            assertEquals(BigInteger.valueOf(500), ga.freeBalanceOf(b.getAddress()));
            assertEquals(BigInteger.valueOf(100), ga.freeBalanceOf(a.getAddress()), "A won at 5000 of its 5100 collateral");
            assertEquals(BigInteger.valueOf(2 * COMMIT_FEE_WEI), m.proceedsOf(treasury).send(),
                    "the treasury got the two commit fees and no forfeit");
            assertEquals(b.getAddress().toLowerCase(), m.winnerOf(BigInteger.ONE, BigInteger.valueOf(300)).send().toLowerCase());
            assertEquals(a.getAddress().toLowerCase(), m.winnerOf(BigInteger.ONE, BigInteger.valueOf(200)).send().toLowerCase());
        }
    }

    private static Process startCli(List<String> args, Path logFile) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), CortadoCli.class.getName()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
    }

    private static List<PendingBid> journal(Path state) {
        Path file = state.resolve("bids.json");
        if (!Files.exists(file)) return List.of();
        try {
            return List.of(JsonMapper.builder().build().readValue(Files.readString(file), PendingBid[].class));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Stage> stages(Path state) {
        return journal(state).stream().map(PendingBid::stage).toList();
    }

    private static String log(Path tmp, String name) {
        try {
            return Files.readString(tmp.resolve(name));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
