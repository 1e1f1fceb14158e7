package dev.cortado.node.runtime;

import dev.cortado.node.market.BundlePool;
import dev.cortado.node.market.MarketWindow;
import dev.cortado.node.market.SequencingRight;
import dev.cortado.node.mempool.PendingTx;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.market.Bundle;
import dev.cortado.protocol.market.BundleRecord;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which pooled bundles an honest leader puts into its block (pure): each whole or not at all, per signer in
 * sequence order above what the chain already decided for that signer, only of the block's window and unexpired
 * at its slot, only when the signer holds every restricted namespace the bundle touches at that slot (fallbacks
 * applied), and only while the block's byte and transaction budgets hold. The result lists the bundles'
 * transactions in bundle order followed by one record per bundle in the reserved namespace, which is the order
 * {@link dev.cortado.node.market.BlockMarketRules} demands.
 */
final class BundleSelection {
    /**
     * @param txs   the bundles' transactions, then their records, in block order
     * @param stale pooled bundles that can never be decided any more (sequence passed, or a transaction decided)
     */
    record Chosen(int bundles, List<PendingTx> txs, Set<Bytes32> hashes, int bytes, List<Bytes32> stale) {
    }

    private BundleSelection() {
    }

    static Chosen choose(long slot, MarketWindow market, dev.cortado.node.market.WindowActivity activity,
                         List<BundlePool.Pooled> candidates, Set<Bytes32> inFlight, Predicate<Bytes32> decided,
                         int maxBytes, int maxTxs) {
        List<PendingTx> bundleTxs = new ArrayList<>();
        List<PendingTx> records = new ArrayList<>();
        Set<Bytes32> hashes = new HashSet<>();
        List<Bytes32> stale = new ArrayList<>();
        Map<Address, Long> lastSequence = new HashMap<>();
        Set<Address> stopped = new HashSet<>();
        int bytes = 0;
        for (BundlePool.Pooled p : candidates) {
            Bundle b = p.bundle().bundle();
            Address signer = p.signer();
            if (stopped.contains(signer) || records.size() >= dev.cortado.node.market.BlockMarketRules.MAX_BUNDLES_PER_BLOCK) {
                continue;
            }
            if (b.window() != market.window() || b.expirySlot() < slot) {
                continue;
            }
            long last = lastSequence.getOrDefault(signer, activity.lastSequenceOf(signer));
            byte[] record = BundleRecord.of(p.bundle()).encode();
            PendingTx recordTx = PendingTx.of(BundleRecord.NAMESPACE, record);
            if (b.sequence() <= last || decided.test(recordTx.hash())
                    || b.transactions().stream().anyMatch(tx -> decided.test(tx.hash()))) {
                stale.add(p.bundle().id());
                continue;
            }
            if (!holdsEvery(market, activity, signer, b) || inFlight.contains(recordTx.hash())
                    || b.transactions().stream().anyMatch(tx -> inFlight.contains(tx.hash()) || hashes.contains(tx.hash()))) {
                // Not now (another holder, or an ancestor carries it); a later sequence of this signer must wait too.
                stopped.add(signer);
                continue;
            }
            int size = recordTx.blockBytes();
            for (Transaction tx : b.transactions()) {
                size += 4 + tx.payloadLength();
            }
            int count = b.transactions().size() + 1;
            if (bytes + size > maxBytes || bundleTxs.size() + records.size() + count > maxTxs) {
                stopped.add(signer);
                continue;
            }
            for (Transaction tx : b.transactions()) {
                PendingTx pt = PendingTx.of(tx.namespace().value(), tx.payload());
                bundleTxs.add(pt);
                hashes.add(pt.hash());
            }
            records.add(recordTx);
            hashes.add(recordTx.hash());
            bytes += size;
            lastSequence.put(signer, b.sequence());
        }
        List<PendingTx> txs = new ArrayList<>(bundleTxs);
        txs.addAll(records);
        return new Chosen(records.size(), txs, hashes, bytes, stale);
    }

    private static boolean holdsEvery(MarketWindow market, dev.cortado.node.market.WindowActivity activity, Address signer,
                                      Bundle b) {
        for (long ns : b.namespaces()) {
            if (market.rightOf(ns, activity) instanceof SequencingRight.Restricted r && !r.sequencer().equals(signer)) {
                return false;
            }
        }
        return true;
    }
}
