package dev.cortado.devnet.contracts.support;

import static dev.cortado.devnet.contracts.support.Auction.commitment;
import static dev.cortado.devnet.contracts.support.Auction.salt;
import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.ok;
import static dev.cortado.devnet.contracts.support.Chain.tm;

import dev.cortado.contracts.generated.SequencingMarketplace;
import dev.cortado.devnet.l1.L1Devnet;
import java.math.BigInteger;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * One deployed SequencingMarketplace for a test, with its clock and the commit/reveal helpers.
 * The schedule: 12 s slots, 12-slot windows; window 1 commits in slots 3-5 (seconds 36-71 after
 * genesis), reveals in 6-7 (72-95), resolves in 8-9 (96-119), is final from slot 10 (second 120,
 * the {@value #FINALITY_SLOTS}-slot finality gap) and starts at slot 12 (second 144).
 */
public record Market(L1Devnet l1, SequencingMarketplace m, Auction clock, long bondWei, long feeWei) {
    public static final long SLOT_SECONDS = 12;
    public static final long WINDOW = 1;
    public static final int NOT_OPEN = 0;
    public static final int COMMIT = 1;
    public static final int REVEAL = 2;
    public static final int RESOLUTION = 3;
    public static final int FINAL = 4;
    public static final long FINALITY_SLOTS = 2;
    /** The first slot of window 1. */
    public static final long WINDOW_SLOT = 12;

    /** Deploys with 12-slot windows (3 commit, 2 reveal, 2 resolution, 2 final before the window), a 50 s withdrawal delay; the owner registers. */
    public static Market deploy(L1Devnet l1, Credentials owner, String treasury, long maxBidsPerWindow, long bondWei,
            long feeWei) throws Exception {
        return deploy(l1, owner, treasury, maxBidsPerWindow, bondWei, feeWei, WINDOW_SLOT, 3);
    }

    /** As {@link #deploy(L1Devnet, Credentials, String, long, long, long)} with another window and commit length. */
    public static Market deploy(L1Devnet l1, Credentials owner, String treasury, long maxBidsPerWindow, long bondWei,
            long feeWei, long slotsPerWindow, long commitSlots) throws Exception {
        long genesis = l1.latestTimestampSec();
        var p = Auction.params(genesis, SLOT_SECONDS, slotsPerWindow, commitSlots, 2, 2, FINALITY_SLOTS, 50, maxBidsPerWindow, bondWei,
                feeWei, treasury);
        var m = SequencingMarketplace.deploy(l1.web3j(), tm(l1, owner), GAS, p, owner.getAddress()).send();
        return new Market(l1, m, new Auction(l1, genesis, SLOT_SECONDS), bondWei, feeWei);
    }

    public SequencingMarketplace as(Credentials who) {
        return SequencingMarketplace.load(m.getContractAddress(), l1.web3j(), tm(l1, who), GAS);
    }

    public String address() {
        return m.getContractAddress();
    }

    /** The commitment of a bid in window 1 by {@code who}, bound to this market. */
    public byte[] commitmentOf(Credentials who, BigInteger bundle, long amount, String sequencer, int saltId) {
        return commitment(l1.chainId(), address(), WINDOW, who.getAddress(), bundle, BigInteger.valueOf(amount),
                sequencer, salt(saltId));
    }

    /** Commits in window 1 and returns the bid id. */
    public int commit(Credentials who, BigInteger bundle, long amount, String sequencer, int saltId, long collateral) {
        TransactionReceipt r = ok(as(who).commitBid(BigInteger.valueOf(WINDOW),
                commitmentOf(who, bundle, amount, sequencer, saltId), BigInteger.valueOf(collateral), BigInteger.ZERO));
        return SequencingMarketplace.getBidCommittedEvents(r).getFirst().bidId.intValueExact();
    }

    public TransactionReceipt reveal(Credentials who, int bidId, BigInteger bundle, long amount, String sequencer,
            int saltId) {
        return ok(as(who).revealBid(BigInteger.valueOf(WINDOW), BigInteger.valueOf(bidId), bundle,
                BigInteger.valueOf(amount), sequencer, salt(saltId)));
    }

    /** Registers {@code namespace} (operator {@code operator}) as the owner; returns the index. */
    public int register(Credentials owner, long namespace, Credentials operator, long reserveWei, String defaultSequencer,
            String beneficiary) {
        TransactionReceipt r = ok(as(owner).registerRollup(BigInteger.valueOf(namespace), operator.getAddress(),
                BigInteger.valueOf(reserveWei), defaultSequencer, beneficiary));
        return SequencingMarketplace.getRollupRegisteredEvents(r).getFirst().index.intValueExact();
    }
}
