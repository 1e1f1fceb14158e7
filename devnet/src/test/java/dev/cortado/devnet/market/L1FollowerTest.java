package dev.cortado.devnet.market;

import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.ok;
import static dev.cortado.devnet.contracts.support.Chain.tm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.contracts.generated.SequencingMarketplace;
import dev.cortado.devnet.contracts.support.Auction;
import dev.cortado.devnet.deploy.DeployConfig;
import dev.cortado.devnet.deploy.Deployer;
import dev.cortado.devnet.deploy.Deployment;
import dev.cortado.devnet.deploy.NodeL1Config;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.devnet.run.DevnetValidators;
import dev.cortado.node.l1.FollowerSettings;
import dev.cortado.node.l1.L1Follower;
import dev.cortado.node.l1.L1FollowerStore;
import dev.cortado.node.l1.MarketAnswer;
import dev.cortado.node.market.SequencingRight;
import dev.cortado.node.market.WindowActivity;
import dev.cortado.protocol.types.Address;
import dev.cortado.settlement.port.L1Client;
import dev.cortado.settlement.port.L1Connector;
import dev.cortado.settlement.port.MarketplaceL1;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * The node's L1 follower against a real Anvil with the real contracts: registry, terms and the window's winner
 * appear only once their block is {@value #CONFIRMATIONS} deep; with the devnet's finality gap the winner is
 * known at the window's first slot already; a reorg of unconfirmed blocks changes nothing; a reorg deeper than
 * that is refused without touching the state; the state survives a restart.
 */
class L1FollowerTest {
    private static final int CONFIRMATIONS = 2;
    private static final long SLOT_SECONDS = 12;
    private static final long NS = 100;
    /**
     * The first window auctioned on the devnet's defaults (8-slot windows, an 11-slot auction): it commits in
     * slots 5-7, reveals in 8-9, resolves in 10-11, is final from slot 12 and starts at slot 16.
     */
    private static final long W = 2;
    private static final Address DEFAULT_SEQ = Address.fromHex("0x00000000000000000000000000000000000000a2");
    private static final Address OTHER_SEQ = Address.fromHex("0x00000000000000000000000000000000000000a3");

    @Test
    void followsRegistryTermsAndWinnersOnlyAtTheConfirmationDepth(@TempDir Path dir) throws Exception {
        try (L1Devnet l1 = L1Devnet.startAnvil()) {
            long genesis = l1.latestTimestampSec();
            Credentials owner = l1.deployer();
            DevnetValidators validators = DevnetValidators.generate(2, 2);
            Deployment d = Deployer.deploy(l1.rpcUrl(), l1.chainId(), owner, DeployConfig.devnetDefaults(genesis,
                    SLOT_SECONDS, 7, validators.table().commitment(), List.of(), l1.accounts().get(9).getAddress()));
            validators.register(l1.web3j(), l1.chainId(), d.stakeTable().address(), l1.accounts().subList(1, 3));
            SequencingMarketplace m = SequencingMarketplace.load(d.marketplace().address(), l1.web3j(), tm(l1, owner), GAS);
            long registeredAt = ok(m.registerRollup(BigInteger.valueOf(NS), owner.getAddress(), BigInteger.valueOf(1_000),
                    DEFAULT_SEQ.toHex(), owner.getAddress())).getBlockNumber().longValueExact();

            L1Connector connector = L1Connector.load();
            // As the devnet fills [l1]: following starts at the earlier of the two deployment blocks, before the
            // marketplace existed (every namespace open then).
            FollowerSettings settings = NodeL1Config.of(d, CONFIRMATIONS, 500).follower();
            assertTrue(settings.startBlock() < d.marketplace().deploymentBlock(), "StakeTable is deployed first");
            try (L1Client client = connector.connect(l1.rpcUrl(), l1.chainId());
                    MarketplaceL1 reader = connector.marketplace(l1.rpcUrl(), d.marketplace().address(), d.stakeTable().address())) {
                L1FollowerStore store = new L1FollowerStore(dir.resolve("l1"));
                L1Follower follower = new L1Follower(client, reader, settings, store);
                follower.catchUp(10);
                assertEquals(registeredAt - CONFIRMATIONS, follower.followedBlock(), "only blocks 2 deep are read");
                assertInstanceOf(MarketAnswer.NotYetSeen.class, follower.windowAt(W, registeredAt),
                        "the registration block is not yet confirmed: defer");
                assertTrue(known(follower, W, follower.followedBlock()).market().defaultSequencers().isEmpty());

                l1.mine();
                l1.mine();
                follower.catchUp(10);
                assertEquals(registeredAt, follower.followedBlock());
                var atRegistration = known(follower, W, registeredAt);
                assertEquals(DEFAULT_SEQ, atRegistration.market().defaultSequencers().get(NS));
                assertFalse(atRegistration.resultFinal());
                assertTrue(known(follower, W, registeredAt - 1).market().defaultSequencers().isEmpty(),
                        "before its block the rollup was not registered");
                assertEquals(new SequencingRight.Restricted(DEFAULT_SEQ, SequencingRight.Reason.UNSOLD), follower.rightOf(
                        NS, W, registeredAt, WindowActivity.start(atRegistration.market(), 4)).orElseThrow());
                assertEquals(2, follower.stakeTable().size(), "both validators' registrations were followed");

                // A terms change in blocks that get reorged away before they are confirmed never reaches the state.
                String snapshot = l1.snapshot();
                long changedAt = ok(m.updateRollupTerms(BigInteger.ZERO, BigInteger.valueOf(2_000), OTHER_SEQ.toHex(),
                        owner.getAddress())).getBlockNumber().longValueExact();
                follower.catchUp(10);
                assertTrue(follower.followedBlock() < changedAt);
                l1.revert(snapshot);
                l1.travel(1);
                l1.travel(1);
                l1.travel(1);
                follower.catchUp(10);
                assertTrue(follower.followedBlock() >= changedAt, "the replacement blocks were followed");
                assertEquals(DEFAULT_SEQ, known(follower, W, follower.followedBlock()).market().defaultSequencers().get(NS));

                Credentials bidder = l1.accounts().get(4);
                Address winner = Address.fromHex(l1.accounts().get(5).getAddress());
                SequencingMarketplace asBidder = SequencingMarketplace.load(d.marketplace().address(), l1.web3j(),
                        tm(l1, bidder), GAS);
                Auction clock = new Auction(l1, genesis, SLOT_SECONDS);
                BigInteger amount = BigInteger.valueOf(5_000);
                BigInteger collateral = amount.add(BigInteger.TEN.pow(15));
                BigInteger fee = asBidder.commitFeeOf(BigInteger.ZERO).send();
                BigInteger w = BigInteger.valueOf(W);
                clock.goToSlot(6);
                ok(asBidder.deposit(collateral.add(fee)));
                byte[] commitment = Auction.commitment(l1.chainId(), d.marketplace().address(), W, bidder.getAddress(),
                        Auction.bundle(0), amount, winner.toHex(), Auction.salt(1));
                ok(asBidder.commitBid(w, commitment, collateral, BigInteger.ZERO));
                clock.goToSlot(8);
                ok(asBidder.revealBid(w, BigInteger.ZERO, Auction.bundle(0), amount, winner.toHex(), Auction.salt(1)));
                clock.goToSlot(11);
                ok(asBidder.submitAllocation(w, List.of(BigInteger.ZERO)));
                clock.goToSlot(12);
                long finalAt = l1.blockNumber();
                follower.catchUp(10);
                var beforeFinal = known(follower, W, follower.followedBlock());
                assertFalse(beforeFinal.resultFinal(), "the first block of the finality gap is not confirmed yet");
                assertTrue(beforeFinal.market().winners().isEmpty());
                // One block per slot, as the devnet's L1 seals them, up to the window's first slot.
                for (long slot = 13; slot <= 16; slot++) clock.goToSlot(slot);
                follower.catchUp(10);
                long followed = follower.followedBlock();
                long windowStartSec = genesis + 16 * SLOT_SECONDS;
                assertTrue(timestampOf(l1, followed) < windowStartSec, "the confirmed block is from before window " + W);
                var atWindowStart = known(follower, W, followed);
                assertTrue(atWindowStart.resultFinal(), "final and confirmed as window " + W + " opens");
                assertEquals(winner, atWindowStart.market().winners().get(NS));
                // A leader proposing in the window's first slot puts this followed block as its l1Head: sold.
                assertEquals(new SequencingRight.Restricted(winner, SequencingRight.Reason.SOLD), follower.rightOf(NS, W,
                        followed, WindowActivity.start(atWindowStart.market(), 4)).orElseThrow());
                assertEquals(winner, known(follower, W, finalAt).market().winners().get(NS));
                assertFalse(known(follower, W, finalAt - 1).resultFinal(), "one block earlier resolution was still open");

                // The sequencer service reads its rights the same way, at the same depth.
                var winnerRights = new dev.cortado.devnet.sequencer.L1SequencerRights(client, reader, winner, CONFIRMATIONS, 0);
                assertTrue(winnerRights.refuse(W, NS).isEmpty(), "the winner holds its namespace in window 2");
                assertEquals("namespace 555 is not registered in window 2: it is open to anyone, no sequencer needed",
                        winnerRights.refuse(W, 555).orElseThrow());
                var defaultRights = new dev.cortado.devnet.sequencer.L1SequencerRights(client, reader, DEFAULT_SEQ, CONFIRMATIONS, 0);
                assertEquals("namespace 100 in window 2 belongs to " + winner.toHex() + ", not to this sequencer ("
                        + DEFAULT_SEQ.toHex() + ")", defaultRights.refuse(W, NS).orElseThrow());
                assertTrue(defaultRights.refuse(W + 1, NS).isEmpty(), "window 3 is not final yet: the default sequencer holds it");

                // A reorg deeper than the confirmation depth is refused and the state stays as it was.
                String deep = l1.snapshot();
                for (int i = 0; i < 4; i++) l1.travel(1);
                follower.catchUp(10);
                long followedDeeper = follower.followedBlock();
                assertTrue(followedDeeper > followed);
                l1.revert(deep);
                for (int i = 0; i < 6; i++) l1.travel(2);
                L1Client.L1Exception e = assertThrows(L1Client.L1Exception.class, follower::poll);
                assertTrue(e.getMessage().startsWith("L1 reorg deeper than the confirmation depth: block " + followedDeeper),
                        e.getMessage());
                assertEquals(followedDeeper, follower.followedBlock());

                // Restart: the state comes back from RocksDB.
                store.close();
                try (L1FollowerStore reopened = new L1FollowerStore(dir.resolve("l1"))) {
                    L1Follower again = new L1Follower(client, reader, settings, reopened);
                    assertEquals(followedDeeper, again.followedBlock());
                    assertEquals(winner, known(again, W, finalAt).market().winners().get(NS));
                    assertTrue(known(again, W, registeredAt - 1).market().defaultSequencers().isEmpty());
                    assertEquals(2, again.stakeTable().size());
                    assertEquals(follower.snapshot().versionCount(), again.snapshot().versionCount());
                }
            }
        }
    }

    private static long timestampOf(L1Devnet l1, long block) throws java.io.IOException {
        return l1.web3j().ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameter.valueOf(BigInteger.valueOf(block)),
                false).send().getBlock().getTimestamp().longValueExact();
    }

    private static MarketAnswer.Known known(L1Follower f, long window, long l1Block) {
        MarketAnswer a = f.windowAt(window, l1Block);
        return assertInstanceOf(MarketAnswer.Known.class, a, a.toString());
    }
}
