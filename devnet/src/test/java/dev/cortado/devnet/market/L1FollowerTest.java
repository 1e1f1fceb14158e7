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
 * appear only once their block is {@value #CONFIRMATIONS} deep; a reorg of unconfirmed blocks changes nothing;
 * a reorg deeper than that is refused without touching the state; the state survives a restart.
 */
class L1FollowerTest {
    private static final int CONFIRMATIONS = 2;
    private static final long SLOT_SECONDS = 12;
    private static final long NS = 100;
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
                assertInstanceOf(MarketAnswer.NotYetSeen.class, follower.windowAt(1, registeredAt),
                        "the registration block is not yet confirmed: defer");
                assertTrue(known(follower, 1, follower.followedBlock()).market().defaultSequencers().isEmpty());

                l1.mine();
                l1.mine();
                follower.catchUp(10);
                assertEquals(registeredAt, follower.followedBlock());
                var atRegistration = known(follower, 1, registeredAt);
                assertEquals(DEFAULT_SEQ, atRegistration.market().defaultSequencers().get(NS));
                assertFalse(atRegistration.resultFinal());
                assertTrue(known(follower, 1, registeredAt - 1).market().defaultSequencers().isEmpty(),
                        "before its block the rollup was not registered");
                assertEquals(new SequencingRight.Restricted(DEFAULT_SEQ, SequencingRight.Reason.UNSOLD), follower.rightOf(
                        NS, 1, registeredAt, WindowActivity.start(atRegistration.market(), 4)).orElseThrow());
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
                assertEquals(DEFAULT_SEQ, known(follower, 1, follower.followedBlock()).market().defaultSequencers().get(NS));

                // Window 1: commit in slots 1-3, reveal in 4-5, resolution in 6-7, final from slot 8.
                Credentials bidder = l1.accounts().get(4);
                Address winner = Address.fromHex(l1.accounts().get(5).getAddress());
                SequencingMarketplace asBidder = SequencingMarketplace.load(d.marketplace().address(), l1.web3j(),
                        tm(l1, bidder), GAS);
                Auction clock = new Auction(l1, genesis, SLOT_SECONDS);
                BigInteger amount = BigInteger.valueOf(5_000);
                BigInteger collateral = amount.add(BigInteger.TEN.pow(15));
                BigInteger fee = asBidder.commitFeeOf(BigInteger.ZERO).send();
                clock.goToSlot(1);
                ok(asBidder.deposit(collateral.add(fee)));
                byte[] commitment = Auction.commitment(l1.chainId(), d.marketplace().address(), 1, bidder.getAddress(),
                        Auction.bundle(0), amount, winner.toHex(), Auction.salt(1));
                ok(asBidder.commitBid(BigInteger.ONE, commitment, collateral, BigInteger.ZERO));
                clock.goToSlot(4);
                ok(asBidder.revealBid(BigInteger.ONE, BigInteger.ZERO, Auction.bundle(0), amount, winner.toHex(), Auction.salt(1)));
                clock.goToSlot(6);
                ok(asBidder.submitAllocation(BigInteger.ONE, List.of(BigInteger.ZERO)));
                clock.goToSlot(8);
                long finalAt = l1.blockNumber();
                follower.catchUp(10);
                var beforeFinal = known(follower, 1, follower.followedBlock());
                assertFalse(beforeFinal.resultFinal(), "the block where window 1 starts is not confirmed yet");
                assertTrue(beforeFinal.market().winners().isEmpty());
                l1.travel(1);
                l1.travel(1);
                follower.catchUp(10);
                var afterFinal = known(follower, 1, finalAt);
                assertTrue(afterFinal.resultFinal());
                assertEquals(winner, afterFinal.market().winners().get(NS));
                assertEquals(new SequencingRight.Restricted(winner, SequencingRight.Reason.SOLD), follower.rightOf(NS, 1,
                        finalAt, WindowActivity.start(afterFinal.market(), 4)).orElseThrow());
                assertFalse(known(follower, 1, finalAt - 1).resultFinal(), "one block earlier the window had not started");

                // The sequencer service reads its rights the same way, at the same depth.
                var winnerRights = new dev.cortado.devnet.sequencer.L1SequencerRights(client, reader, winner, CONFIRMATIONS, 0);
                assertTrue(winnerRights.refuse(1, NS).isEmpty(), "the winner holds its namespace in window 1");
                assertEquals("namespace 555 is not registered in window 1: it is open to anyone, no sequencer needed",
                        winnerRights.refuse(1, 555).orElseThrow());
                var defaultRights = new dev.cortado.devnet.sequencer.L1SequencerRights(client, reader, DEFAULT_SEQ, CONFIRMATIONS, 0);
                assertEquals("namespace 100 in window 1 belongs to " + winner.toHex() + ", not to this sequencer ("
                        + DEFAULT_SEQ.toHex() + ")", defaultRights.refuse(1, NS).orElseThrow());
                assertTrue(defaultRights.refuse(2, NS).isEmpty(), "window 2 is not final yet: the default sequencer holds it");

                // A reorg deeper than the confirmation depth is refused and the state stays as it was.
                long followed = follower.followedBlock();
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
                    assertEquals(winner, known(again, 1, finalAt).market().winners().get(NS));
                    assertTrue(known(again, 1, registeredAt - 1).market().defaultSequencers().isEmpty());
                    assertEquals(2, again.stakeTable().size());
                    assertEquals(follower.snapshot().versionCount(), again.snapshot().versionCount());
                }
            }
        }
    }

    private static MarketAnswer.Known known(L1Follower f, long window, long l1Block) {
        MarketAnswer a = f.windowAt(window, l1Block);
        return assertInstanceOf(MarketAnswer.Known.class, a, a.toString());
    }
}
