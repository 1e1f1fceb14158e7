package dev.cortado.node.market;

import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.market.Bundle;
import dev.cortado.protocol.market.BundleRecord;
import dev.cortado.protocol.market.Secp256k1;
import dev.cortado.protocol.market.SignedBundle;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keys, a marketplace window and block builders shared by the market-rule tests. */
final class MarketFixture {
    static final long CHAIN_ID = 31337;
    static final Address MARKET = Address.fromHex("0x5fbdb2315678afecb367f032d93f642f64180aa3");
    static final Secp256k1.KeyPair WINNER = Secp256k1.keyPair(BigInteger.valueOf(101));
    static final Secp256k1.KeyPair DEFAULT_A = Secp256k1.keyPair(BigInteger.valueOf(201));
    static final Secp256k1.KeyPair DEFAULT_B = Secp256k1.keyPair(BigInteger.valueOf(202));
    static final Secp256k1.KeyPair STRANGER = Secp256k1.keyPair(BigInteger.valueOf(999));
    static final long NS_A = 10;
    static final long NS_B = 11;
    static final long NS_OPEN = 77;
    static final long SLOTS_PER_WINDOW = 32;

    private MarketFixture() {
    }

    /** Window {@code w}: A and B registered; both sold to WINNER when {@code sold}. */
    static MarketWindow window(long w, boolean sold) {
        Map<Long, Address> winners = sold ? Map.of(NS_A, WINNER.address(), NS_B, WINNER.address()) : Map.of();
        return new MarketWindow(w, SLOTS_PER_WINDOW, Map.of(NS_A, DEFAULT_A.address(), NS_B, DEFAULT_B.address()),
                winners);
    }

    static Transaction tx(long ns, int tag) {
        return new Transaction(NamespaceId.of(ns), new byte[] {(byte) tag, (byte) (tag >> 8), (byte) ns});
    }

    static SignedBundle bundle(Secp256k1.KeyPair key, long window, long sequence, Transaction... txs) {
        return new Bundle(CHAIN_ID, MARKET, window, sequence, window * SLOTS_PER_WINDOW + SLOTS_PER_WINDOW,
                List.of(txs)).sign(key);
    }

    /** The block a leader builds honestly from these bundles (plus loose open-namespace transactions). */
    static Map<Long, List<Bytes32>> blockOf(List<SignedBundle> bundles, Transaction... loose) {
        Map<Long, List<Bytes32>> out = new LinkedHashMap<>();
        for (SignedBundle sb : bundles) {
            for (Transaction tx : sb.bundle().transactions()) {
                out.computeIfAbsent(tx.namespace().value(), k -> new ArrayList<>()).add(tx.hash());
            }
        }
        for (Transaction tx : loose) out.computeIfAbsent(tx.namespace().value(), k -> new ArrayList<>()).add(tx.hash());
        return out;
    }

    /** The rules' verdict on a block carrying these bundles, in the form blocks carry them (records). */
    static MarketVerdict judge(BlockMarketRules rules, long slot, MarketWindow market, WindowActivity activity,
                               List<SignedBundle> bundles, Map<Long, List<Bytes32>> txs) {
        return rules.check(slot, market, activity, bundles.stream().map(BundleRecord::of).toList(), txs);
    }
}
