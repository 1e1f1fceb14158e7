package dev.cortado.node.runtime;

import dev.cortado.node.l1.MarketState;
import dev.cortado.node.market.BlockMarketRules;
import dev.cortado.node.market.BundlePool;
import dev.cortado.node.market.MarketWindow;
import dev.cortado.node.market.SequencingRight;
import dev.cortado.node.market.WindowActivity;
import dev.cortado.node.mempool.PendingTx;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.NamespaceTable;
import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.market.BundleRecord;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The simulator's door into the node's real sequencing-rights code: one per simulated replica, it judges a block
 * with the pipeline's {@link BlockMarketCheck} (window from the header timestamp, rights from the marketplace at
 * the header's l1Head, activity folded over the block's ancestors, {@link BlockMarketRules} on its bundles and
 * transactions per namespace), and an honest leader picks its bundles with the node's own {@link BundleSelection}.
 * What it does not run is the rest of {@link BlockPipeline#handle}'s verdict (drift, exactly-once, l1Head
 * deferral): those rules are covered by the pipeline's own tests and the simulator's blocks keep them by
 * construction.
 *
 * <p>The activity after each judged or folded block is cached by block commitment, as the pipeline does; a
 * replica that restarted rebuilds it by folding its ancestors from the block store, the stand-in for the
 * node's fetch of decided blocks (content is bound to its commitment by hash, so the store cannot lie).
 */
public final class SimMarketGate {
    /** A deliberately broken gate, so the simulation can show its checker notices a bad block decided. */
    public enum Mutation {
        NONE,
        /** The rules are shown the block's bundles' own transaction lists, not the block's: coverage is skipped. */
        COVERAGE_IGNORED
    }

    /** A simulated block: a real header and namespace table, its transaction hashes and its bundle records. */
    public record Block(BlockHeader header, Bytes32 commitment, byte[] nsTable, List<Integer> txCounts,
                        List<Bytes32> txHashes, List<BundleRecord> bundles) {
        KnownBlock known() {
            return new KnownBlock.HeaderOnly(header, commitment, nsTable, txCounts, txHashes, java.util.Optional.empty(), bundles);
        }

        /** The block's transaction hashes per namespace, as the rules read them. */
        public Map<Long, List<Bytes32>> byNamespace() {
            return BlockMarketCheck.byNamespace(known());
        }

        /**
         * Lays {@code txs} out as a node's block does: namespaces ascending, each in the order given, records of
         * the reserved namespace last; the commitment hashes every field the rules read.
         */
        public static Block assemble(long height, long view, Bytes32 parentBlock, long timestampMs, long l1Head,
                                     List<PendingTx> txs) {
            TreeMap<NamespaceId, List<PendingTx>> byNs = new TreeMap<>();
            for (PendingTx tx : txs) {
                byNs.computeIfAbsent(NamespaceId.of(tx.namespace()), k -> new ArrayList<>()).add(tx);
            }
            List<NamespaceTable.Entry> entries = new ArrayList<>();
            List<Integer> counts = new ArrayList<>();
            List<Bytes32> hashes = new ArrayList<>();
            List<BundleRecord> bundles = new ArrayList<>();
            int offset = 0;
            for (Map.Entry<NamespaceId, List<PendingTx>> e : byNs.entrySet()) {
                for (PendingTx tx : e.getValue()) {
                    offset += tx.blockBytes();
                    hashes.add(tx.hash());
                    if (tx.namespace() == BundleRecord.NAMESPACE) {
                        bundles.add(BundleRecord.decode(tx.payload()));
                    }
                }
                entries.add(new NamespaceTable.Entry(e.getKey(), offset));
                counts.add(e.getValue().size());
            }
            byte[] nsTable = new NamespaceTable(entries).encode();
            List<byte[]> parts = new ArrayList<>();
            parts.add(Abi.uint64Word(height));
            parts.add(Abi.uint64Word(view));
            parts.add(parentBlock.bytes());
            parts.add(Abi.uint64Word(timestampMs));
            parts.add(Abi.uint64Word(l1Head));
            parts.add(nsTable);
            hashes.forEach(h -> parts.add(h.bytes()));
            Bytes32 payloadRoot = Keccak.hash(parts.toArray(byte[][]::new));
            BlockHeader header = new BlockHeader(Height.of(height), View.of(view), parentBlock, timestampMs, l1Head,
                    payloadRoot, Bytes32.ZERO, Bytes32.ZERO, offset, Bytes32.ZERO);
            return new Block(header, payloadRoot, nsTable, counts, hashes, bundles);
        }
    }

    /** What a leader building on a parent knows: the block's slot, window and the activity as of that slot. */
    public record BuildView(long slot, MarketWindow market, WindowActivity activity) {
        public SequencingRight rightOf(long namespace) {
            return market.rightOf(namespace, activity);
        }
    }

    /**
     * The namespace state a block was judged in: each registered namespace's right (holder and reason) and the
     * winners that had fallen silent by the block's slot (the fallback point). Equal on every honest replica.
     */
    public record Rights(long window, long slot, Map<Long, String> rights, Set<Address> fallenSilent) {
    }

    private static final int MAX_CACHED = 1_024;

    private final BlockMarketCheck check;
    private final Mutation mutation;
    private final Bytes32 genesisBlock;
    private final Function<Bytes32, Block> store;
    private final Map<Bytes32, BlockMarketCheck.Judgement.Pass> after = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Bytes32, BlockMarketCheck.Judgement.Pass> eldest) {
            return size() > MAX_CACHED;
        }
    };

    public SimMarketGate(MarketState market, long l1ChainId, Address marketplace, long silenceSlots,
                         Bytes32 genesisBlock, Function<Bytes32, Block> store, Mutation mutation) {
        this.check = new BlockMarketCheck(market, new BlockMarketRules(l1ChainId, marketplace), silenceSlots);
        this.genesisBlock = genesisBlock;
        this.store = store;
        this.mutation = mutation;
    }

    /** Why the node's rule rejects {@code block} on its parent (empty when it passes; the activity is then cached). */
    public Optional<String> judge(Block block) {
        BlockMarketCheck.Judgement parent = activityAfter(block.header().parent());
        if (!(parent instanceof BlockMarketCheck.Judgement.Pass p)) {
            return Optional.of("an ancestor's sequencing-rights state: " + parent);
        }
        KnownBlock judged = mutation == Mutation.COVERAGE_IGNORED ? bundlesOnly(block) : block.known();
        return switch (check.check(judged, p.after())) {
            case BlockMarketCheck.Judgement.Pass next -> {
                after.put(block.commitment(), next);
                yield Optional.empty();
            }
            case BlockMarketCheck.Judgement.Fail f -> Optional.of(f.verdict().toString());
        };
    }

    /** The rights a leader builds with on {@code parentBlock} at this timestamp; empty when nothing is restricted or known. */
    public Optional<BuildView> context(Bytes32 parentBlock, long timestampMs, long l1Head) {
        return check.buildContext(timestampMs, l1Head, activityAfter(parentBlock)) instanceof BlockMarketCheck.BuildContext.Known k
                ? Optional.of(new BuildView(k.slot(), k.market(), k.activity())) : Optional.empty();
    }

    /** The bundles an honest leader takes from {@code candidates}: their transactions, then their records. */
    public static List<PendingTx> select(BuildView view, List<BundlePool.Pooled> candidates) {
        return BundleSelection.choose(view.slot(), view.market(), view.activity(), candidates, Set.of(), h -> false,
                Integer.MAX_VALUE, Integer.MAX_VALUE).txs();
    }

    /** The namespace state {@code block} was judged in, from this replica's own fold of its ancestors. */
    public Optional<Rights> rightsAt(Block block) {
        return context(block.header().parent(), block.header().timestampMs(), block.header().l1Head()).map(v -> {
            Map<Long, String> rights = new TreeMap<>();
            for (long ns : v.market().defaultSequencers().keySet()) {
                if (v.rightOf(ns) instanceof SequencingRight.Restricted r) {
                    rights.put(ns, r.reason() + " " + r.sequencer().toHex());
                }
            }
            return new Rights(v.market().window(), v.slot(), rights, v.activity().fallenSilent());
        });
    }

    /** The activity after {@code blockCommitment}: cached, or folded from the nearest cached ancestor or genesis. */
    private BlockMarketCheck.Judgement activityAfter(Bytes32 blockCommitment) {
        Deque<Block> path = new ArrayDeque<>();
        BlockMarketCheck.Judgement at;
        Bytes32 cursor = blockCommitment;
        while (true) {
            if (cursor.equals(genesisBlock)) {
                at = new BlockMarketCheck.Judgement.Pass(null);
                break;
            }
            BlockMarketCheck.Judgement.Pass cached = after.get(cursor);
            if (cached != null) {
                at = cached;
                break;
            }
            Block b = store.apply(cursor);
            if (b == null) {
                return new BlockMarketCheck.Judgement.Fail(new BlockVerdict.Reject("ancestor block " + cursor + " is unknown"));
            }
            path.push(b);
            cursor = b.header().parent();
        }
        while (!path.isEmpty()) {
            Block b = path.pop();
            at = check.fold(b.header(), b.bundles(), ((BlockMarketCheck.Judgement.Pass) at).after());
            if (!(at instanceof BlockMarketCheck.Judgement.Pass p)) {
                return at;
            }
            after.put(b.commitment(), p);
        }
        return at;
    }

    /** The mutant's view of a block: every namespace holds exactly its bundles' transactions. */
    private static KnownBlock bundlesOnly(Block block) {
        Map<Long, List<Bytes32>> fromBundles = new TreeMap<>();
        for (BundleRecord r : block.bundles()) {
            r.entries().forEach(e -> fromBundles.computeIfAbsent(e.namespace().value(), k -> new ArrayList<>()).add(e.txHash()));
            fromBundles.computeIfAbsent(BundleRecord.NAMESPACE, k -> new ArrayList<>())
                    .add(PendingTx.hash(BundleRecord.NAMESPACE, r.encode()));
        }
        // The rules read hashes and per-namespace counts only, so the table's offsets can count transactions.
        List<Integer> counts = new ArrayList<>();
        List<Bytes32> hashes = new ArrayList<>();
        List<NamespaceTable.Entry> entries = new ArrayList<>();
        int end = 0;
        for (Map.Entry<Long, List<Bytes32>> e : fromBundles.entrySet()) {
            counts.add(e.getValue().size());
            hashes.addAll(e.getValue());
            end += e.getValue().size();
            entries.add(new NamespaceTable.Entry(NamespaceId.of(e.getKey()), end));
        }
        return new KnownBlock.HeaderOnly(block.header(), block.commitment(), new NamespaceTable(entries).encode(),
                counts, hashes, java.util.Optional.empty(), block.bundles());
    }
}
