package dev.cortado.node.market;

import dev.cortado.protocol.market.BundleEntry;
import dev.cortado.protocol.market.BundleRecord;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The sequencing-rights rules a block must keep, as a pure function of chain data: the block's slot (from its
 * header timestamp), the marketplace window read at its {@code l1Head}, the window's activity up to its parent,
 * the bundles it carries and its transactions per namespace. Every replica evaluates the same inputs, so all
 * agree on each namespace's right and on the fallback point.
 *
 * <p>For a restricted namespace (sold, unsold or fallen back), the block's transactions must be exactly the
 * concatenation, in bundle order, of that namespace's transactions in bundles signed by the right holder; so
 * a bundle is in the block whole or not at all, and its positions are the ones the sequencer pre-confirmed.
 * Checks run cheapest first: domain and window fields, then coverage by hash, and only then signature recovery.
 */
public final class BlockMarketRules {
    /** A block carries few bundles; the bound caps the signature recoveries one proposal can demand. */
    public static final int MAX_BUNDLES_PER_BLOCK = 256;

    private final long chainId;
    private final Address marketplace;

    public BlockMarketRules(long chainId, Address marketplace) {
        this.chainId = chainId;
        this.marketplace = marketplace;
    }

    /** Why a transaction submitted on its own, outside any bundle, may not enter {@code namespace}; empty if it may. */
    public static Optional<String> refuseLoose(MarketWindow market, WindowActivity activity, long namespace) {
        return switch (market.rightOf(namespace, activity)) {
            case SequencingRight.Open open -> Optional.empty();
            case SequencingRight.Restricted r -> Optional.of("namespace " + Long.toUnsignedString(namespace)
                    + " is " + r.reason().name().toLowerCase() + " in window " + market.window()
                    + ": only bundles signed by " + r.sequencer().toHex() + " are accepted");
        };
    }

    /**
     * Judges one block.
     *
     * @param parentActivity the window's state after the parent block (or {@link WindowActivity#start})
     * @param bundles the block's bundle records (its reserved namespace {@link BundleRecord#NAMESPACE}), in block order
     * @param txHashesByNamespace the block's transaction hashes per namespace, in block order (the reserved
     *                            namespace, whose transactions are the records themselves, is ignored here)
     */
    public MarketVerdict check(long slot, MarketWindow market, WindowActivity parentActivity,
                               List<BundleRecord> bundles, Map<Long, List<Bytes32>> txHashesByNamespace) {
        if (!market.contains(slot)) {
            return invalid("block slot " + slot + " is outside window " + market.window());
        }
        if (bundles.size() > MAX_BUNDLES_PER_BLOCK) {
            return invalid(bundles.size() + " bundles exceed " + MAX_BUNDLES_PER_BLOCK + " per block");
        }
        WindowActivity activity = parentActivity.advanceTo(slot, market.winners().values());
        // The domain is not carried: the id (and signer) is computed under this network's, so a bundle signed
        // for another chain or marketplace has another id and recovers to a stranger.
        List<Bytes32> ids = new ArrayList<>(bundles.size());
        for (BundleRecord b : bundles) {
            Bytes32 id = b.digest(chainId, marketplace);
            ids.add(id);
            if (b.window() != market.window()) {
                return invalid("bundle " + id + " is for window " + b.window() + ", the block is in window "
                        + market.window());
            }
            if (b.expirySlot() < slot) {
                return invalid("bundle " + id + " expired at slot " + b.expirySlot() + ", block slot " + slot);
            }
        }
        Optional<String> coverage = checkCoverage(market, activity, bundles, txHashesByNamespace);
        if (coverage.isPresent()) return invalid(coverage.get());
        Map<Address, Long> lastInBlock = new HashMap<>();
        for (int i = 0; i < bundles.size(); i++) {
            BundleRecord sb = bundles.get(i);
            Bytes32 id = ids.get(i);
            Optional<Address> signer = sb.signer(chainId, marketplace);
            if (signer.isEmpty()) return invalid("bundle " + id + " has a malformed signature");
            for (long ns : sb.namespaces()) {
                if (market.rightOf(ns, activity) instanceof SequencingRight.Restricted r
                        && !r.sequencer().equals(signer.get())) {
                    return invalid("bundle " + id + " signed by " + signer.get().toHex() + " touches namespace "
                            + Long.toUnsignedString(ns) + ", which only " + r.sequencer().toHex() + " may sequence ("
                            + r.reason().name().toLowerCase() + ")");
                }
            }
            long previous = lastInBlock.getOrDefault(signer.get(), activity.lastSequenceOf(signer.get()));
            if (sb.sequence() <= previous) {
                return invalid("bundle " + id + " has sequence " + sb.sequence() + ", but "
                        + signer.get().toHex() + " is already at " + previous + " in window " + market.window());
            }
            lastInBlock.put(signer.get(), sb.sequence());
        }
        return new MarketVerdict.Valid(activity.afterBlock(slot, lastInBlock));
    }

    /**
     * The window's state after a block that is already known to be valid (decided, or judged before): the same
     * state {@link #check} returns for it, without re-checking coverage. Used to rebuild the state from stored
     * blocks, whose transactions per namespace this node may no longer hold.
     */
    public WindowActivity fold(long slot, MarketWindow market, WindowActivity parentActivity, List<BundleRecord> bundles) {
        WindowActivity activity = parentActivity.advanceTo(slot, market.winners().values());
        Map<Address, Long> lastInBlock = new HashMap<>();
        for (BundleRecord b : bundles) {
            Optional<Address> signer = b.signer(chainId, marketplace);
            if (signer.isPresent() && b.window() == market.window()) {
                lastInBlock.merge(signer.get(), b.sequence(), Math::max);
            }
        }
        return activity.afterBlock(slot, lastInBlock);
    }

    public long chainId() {
        return chainId;
    }

    public Address marketplace() {
        return marketplace;
    }

    private static Optional<String> checkCoverage(MarketWindow market, WindowActivity activity,
                                                  List<BundleRecord> bundles, Map<Long, List<Bytes32>> blockTxs) {
        Map<Long, List<Bytes32>> fromBundles = new HashMap<>();
        Set<Bytes32> seen = new HashSet<>();
        for (BundleRecord sb : bundles) {
            for (BundleEntry e : sb.entries()) {
                Bytes32 h = e.txHash();
                if (!seen.add(h)) return Optional.of("transaction " + h + " appears in two bundles");
                fromBundles.computeIfAbsent(e.namespace().value(), k -> new ArrayList<>()).add(h);
            }
        }
        Set<Long> namespaces = new HashSet<>(blockTxs.keySet());
        namespaces.addAll(fromBundles.keySet());
        namespaces.remove(BundleRecord.NAMESPACE);
        for (long ns : namespaces) {
            List<Bytes32> inBlock = blockTxs.getOrDefault(ns, List.of());
            List<Bytes32> bundled = fromBundles.getOrDefault(ns, List.of());
            boolean restricted = market.rightOf(ns, activity) instanceof SequencingRight.Restricted;
            if (restricted && !inBlock.equals(bundled)) {
                return Optional.of("namespace " + Long.toUnsignedString(ns) + " holds " + inBlock.size()
                        + " transactions, but its bundles hold " + bundled.size()
                        + (inBlock.size() == bundled.size() ? " in another order or with other transactions" : "")
                        + ": a restricted namespace takes whole bundles only");
            }
            if (!restricted && !new HashSet<>(inBlock).containsAll(bundled)) {
                return Optional.of("a bundle's transaction for namespace " + Long.toUnsignedString(ns)
                        + " is missing from the block: bundles are all or nothing");
            }
        }
        return Optional.empty();
    }

    private static MarketVerdict invalid(String reason) {
        return new MarketVerdict.Invalid(reason);
    }
}
