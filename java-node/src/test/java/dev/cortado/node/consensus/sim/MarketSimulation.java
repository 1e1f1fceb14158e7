package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.l1.MarketAnswer;
import dev.cortado.node.l1.MarketState;
import dev.cortado.node.market.BundlePool;
import dev.cortado.node.market.MarketWindow;
import dev.cortado.node.runtime.SimMarketGate;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.market.Bundle;
import dev.cortado.protocol.market.BundleEntry;
import dev.cortado.protocol.market.BundleRecord;
import dev.cortado.protocol.market.Secp256k1;
import dev.cortado.protocol.market.SignedBundle;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.port.MarketClock;
import dev.cortado.settlement.port.SlotClock;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The marketplace world of one simulation run (issue 11): the rollups, each window's winners, the sequencers'
 * signed bundles, a script of when each window's winners fall silent, the store of block contents, and the
 * checks on what honest replicas do with them. Blocks are real: a header with timestamp and l1Head, a namespace
 * table, transaction hashes and EIP-712 secp256k1 bundle records; every honest replica judges them with the
 * node's rule code through its own {@link SimMarketGate} before its core may hear DataAvailable.
 *
 * <p>Checks, independent of the rule code: no honest replica admits, votes for or decides a block a Byzantine
 * leader built to break a right; every decided bundle is whole; honest replicas that decide a height computed
 * the same namespace state and fallback point for it. It draws from its own {@link Random}, so the consensus
 * part of the run is the same as without a market.
 */
final class MarketSimulation {
    /** How a {@link Behaviour#MARKET_LEADER} breaks the rights. */
    enum Attack {
        /** A sold namespace gets a transaction from someone other than its winner (a stranger's bundle, or loose). */
        NON_WINNER("may sequence (sold)", "a restricted namespace takes whole bundles only"),
        /** Part of a bundle: one namespace's transactions of a multi-rollup bundle are left out. */
        SPLIT_BUNDLE("a restricted namespace takes whole bundles only", "bundles are all or nothing"),
        /** The right holder's bundle of an earlier window, included again. */
        OLD_WINDOW_REPLAY("is for window");

        /** What the rule's reason says when it rejects this attack for the right cause (one of them). */
        final List<String> reasons;

        Attack(String... reasons) {
            this.reasons = List.of(reasons);
        }
    }

    static final long L1_CHAIN_ID = 31337;
    static final Address MARKETPLACE = Address.fromHex("0x5fbdb2315678afecb367f032d93f642f64180aa3");
    static final long SLOTS_PER_WINDOW = 6;
    static final long SILENCE_SLOTS = 2;
    /** Every header names this L1 block, which every replica's follower has seen. */
    static final long L1_HEAD = 1;
    static final long NS_A = 10;
    static final long NS_B = 11;
    static final long NS_OPEN = 77;
    /** Header timestamps may be off true time by this much either way (within the pipeline's drift bound). */
    static final long MAX_SKEW_MS = 1_000;

    static final Secp256k1.KeyPair WINNER = Secp256k1.keyPair(BigInteger.valueOf(101));
    static final Secp256k1.KeyPair WINNER_B = Secp256k1.keyPair(BigInteger.valueOf(102));
    static final Secp256k1.KeyPair DEFAULT_A = Secp256k1.keyPair(BigInteger.valueOf(201));
    static final Secp256k1.KeyPair DEFAULT_B = Secp256k1.keyPair(BigInteger.valueOf(202));
    static final Secp256k1.KeyPair STRANGER = Secp256k1.keyPair(BigInteger.valueOf(999));
    private static final Map<Long, Address> DEFAULTS = Map.of(NS_A, DEFAULT_A.address(), NS_B, DEFAULT_B.address());

    /** What one honest replica recorded for a decided height. */
    record Record(int replica, Bytes32 block, SimMarketGate.Rights rights) {
    }

    private final Random random;
    private final SimMarketGate.Mutation mutation;
    private final MarketState state;
    private final Bytes32 genesisBlock;
    private final Map<Long, Long> silentFromSlot = new HashMap<>();
    /**
     * Bundles are a function of (signer, window, sequence) only, the same in every run, and signing is the costly
     * part; so runs share them, up to a bound.
     */
    private static final Map<String, SignedBundle> SIGNED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_SIGNED = 200_000;
    private final Map<Bytes32, SimMarketGate.Block> blocks = new HashMap<>();
    private final Map<Bytes32, Attack> attacks = new HashMap<>();
    private final Map<Bytes32, Integer> builders = new HashMap<>();
    private final Map<Long, Record> byHeight = new HashMap<>();
    private final Set<Bytes32> decidedChecked = new HashSet<>();
    private final Map<Attack, Integer> built = new EnumMap<>(Attack.class);
    private final Map<Attack, Integer> rejections = new EnumMap<>(Attack.class);
    private final List<String> violations = new ArrayList<>();
    private long[] skewMs = new long[0];
    private int records;
    private int fallbackBlocks;
    private int bundlesDecided;
    private int parentUnknown;

    MarketSimulation(long seed, SimMarketGate.Mutation mutation) {
        this.random = new Random(seed ^ 0x6D61726B6574L);
        this.mutation = mutation;
        this.genesisBlock = Leaf.genesis(Simulation.CHAIN_ID).blockCommitment();
        // Results come from the scripted state below, so the clock's finality fields are only required to be valid.
        MarketClock clock = new MarketClock(new SlotClock(0, 1), SLOTS_PER_WINDOW, 2, SLOTS_PER_WINDOW);
        this.state = new MarketState() {
            @Override
            public long followedBlock() {
                return L1_HEAD;
            }

            @Override
            public MarketAnswer windowAt(long window, long l1Block) {
                if (l1Block > L1_HEAD) return new MarketAnswer.NotYetSeen(l1Block, L1_HEAD);
                if (l1Block < L1_HEAD) return new MarketAnswer.Unavailable("before the marketplace's deployment");
                return new MarketAnswer.Known(window(window), true);
            }

            @Override
            public MarketClock clock() {
                return clock;
            }
        };
    }

    /** Window {@code w}: both rollups sold to one winner, or to two, or unsold, in turn. */
    static MarketWindow window(long w) {
        Map<Long, Address> winners = switch ((int) (w % 4)) {
            case 1 -> Map.of(NS_A, WINNER.address(), NS_B, WINNER_B.address());
            case 3 -> Map.of();
            default -> Map.of(NS_A, WINNER.address(), NS_B, WINNER.address());
        };
        return new MarketWindow(w, SLOTS_PER_WINDOW, DEFAULTS, winners);
    }

    /** The cast with some faulty replicas turned into market-breaking leaders (at least one when any is faulty). */
    Behaviour[] recast(Behaviour[] cast) {
        Behaviour[] out = cast.clone();
        skewMs = new long[out.length];
        boolean any = false;
        int lastFaulty = -1;
        for (int i = 0; i < out.length; i++) {
            skewMs[i] = random.nextLong(2 * MAX_SKEW_MS + 1) - MAX_SKEW_MS;
            if (out[i] != Behaviour.HONEST) {
                lastFaulty = i;
                if (random.nextInt(3) > 0) {
                    out[i] = Behaviour.MARKET_LEADER;
                    any = true;
                }
            }
        }
        if (!any && lastFaulty >= 0) {
            out[lastFaulty] = Behaviour.MARKET_LEADER;
        }
        return out;
    }

    MarketReplica replica(int index, boolean honest, java.util.function.Function<Bytes32, Leaf> leaves) {
        return new MarketReplica(this, index, honest, leaves, new SimMarketGate(state, L1_CHAIN_ID, MARKETPLACE,
                SILENCE_SLOTS, genesisBlock, blocks::get, mutation));
    }

    long skewMs(int replica) {
        return skewMs[replica];
    }

    // ---------------------------------------------------------------- sequencers and their bundles

    /** The window's winners say nothing from this slot on (never, for about half the windows). */
    private long silentFrom(long w) {
        return silentFromSlot.computeIfAbsent(w, k -> random.nextBoolean() ? Long.MAX_VALUE
                : k * SLOTS_PER_WINDOW + random.nextInt((int) SLOTS_PER_WINDOW));
    }

    /**
     * What the sequencers have submitted by {@code view}'s slot: each speaking one's next bundle (one per block
     * keeps the run cheap: every honest replica recovers every bundle's signer).
     */
    List<BundlePool.Pooled> candidates(SimMarketGate.BuildView view) {
        long w = view.market().window();
        List<BundlePool.Pooled> out = new ArrayList<>();
        for (Secp256k1.KeyPair key : List.of(WINNER, WINNER_B, DEFAULT_A, DEFAULT_B)) {
            boolean winner = view.market().winners().containsValue(key.address());
            if (winner && view.slot() >= silentFrom(w) || namespacesOf(key, w).isEmpty()) {
                continue;
            }
            SignedBundle b = bundle(key, w, view.activity().lastSequenceOf(key.address()) + 1);
            out.add(new BundlePool.Pooled(b, key.address(), BundleRecord.of(b).encodedBytes()));
        }
        return out;
    }

    private static List<Long> namespacesOf(Secp256k1.KeyPair key, long w) {
        List<Long> out = new ArrayList<>();
        window(w).winners().forEach((ns, a) -> {
            if (a.equals(key.address())) out.add(ns);
        });
        DEFAULTS.forEach((ns, a) -> {
            if (a.equals(key.address())) out.add(ns);
        });
        out.sort(null);
        if (!out.isEmpty() && DEFAULTS.containsValue(key.address())) {
            out.add(NS_OPEN); // a default sequencer's bundles also carry an open-namespace transaction
        }
        return out;
    }

    /** {@code key}'s bundle number {@code seq} of window {@code w}, signed once (signing is the costly part). */
    SignedBundle bundle(Secp256k1.KeyPair key, long w, long seq) {
        List<Long> namespaces = namespacesOf(key, w);
        return signed(key, w, seq, namespaces, key.address().toHex() + "/" + w + "/" + seq);
    }

    /** {@code key}'s bundle of one transaction per namespace, tagged {@code tag}; memoised across runs. */
    static SignedBundle signed(Secp256k1.KeyPair key, long w, long seq, List<Long> namespaces, String tag) {
        String id = key.address().toHex() + "/" + w + "/" + seq + "/" + namespaces + "/" + tag;
        SignedBundle known = SIGNED.get(id);
        if (known != null) {
            return known;
        }
        List<Transaction> txs = new ArrayList<>();
        for (long ns : namespaces) {
            txs.add(tx(ns, tag));
        }
        SignedBundle b = new Bundle(L1_CHAIN_ID, MARKETPLACE, w, seq, (w + 1) * SLOTS_PER_WINDOW - 1, txs).sign(key);
        if (SIGNED.size() < MAX_SIGNED) {
            SIGNED.put(id, b);
        }
        return b;
    }

    static Transaction tx(long ns, String tag) {
        return new Transaction(NamespaceId.of(ns), (tag + "@" + ns).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    Attack nextAttack() {
        return Attack.values()[random.nextInt(Attack.values().length)];
    }

    boolean coinFlip() {
        return random.nextBoolean();
    }

    // ---------------------------------------------------------------- blocks and the checks on them

    void store(SimMarketGate.Block block, int builder, Attack attack) {
        blocks.put(block.commitment(), block);
        builders.put(block.commitment(), builder);
        if (attack != null) {
            attacks.put(block.commitment(), attack);
            built.merge(attack, 1, Integer::sum);
        }
    }

    SimMarketGate.Block block(Bytes32 commitment) {
        return blocks.get(commitment);
    }

    Attack attackOf(Bytes32 commitment) {
        return attacks.get(commitment);
    }

    int builderOf(Bytes32 commitment) {
        return builders.getOrDefault(commitment, -1);
    }

    void rejected(Attack attack) {
        rejections.merge(attack, 1, Integer::sum);
    }

    void parentUnknown() {
        parentUnknown++;
    }

    /** Blocks an honest replica could not judge when their data came, because it did not yet know the parent leaf. */
    int parentUnknownCount() {
        return parentUnknown;
    }

    void violation(String what) {
        if (violations.size() < 100) {
            violations.add(what);
        }
    }

    /** An honest replica decided {@code block} at its height and computed {@code rights} for it. */
    void decided(int replica, SimMarketGate.Block block, SimMarketGate.Rights rights) {
        long height = block.header().height().value();
        records++;
        Record mine = new Record(replica, block.commitment(), rights);
        Record first = byHeight.putIfAbsent(height, mine);
        if (first != null && (!first.block().equals(mine.block()) || !java.util.Objects.equals(first.rights(), rights))) {
            violation("market: at height " + height + " replica " + first.replica() + " recorded " + first
                    + " but replica " + replica + " recorded " + mine);
        }
        if (!decidedChecked.add(block.commitment())) {
            return;
        }
        Attack attack = attacks.get(block.commitment());
        if (attack != null) {
            violation("market: decided a " + attack + " block at height " + height + " built by replica "
                    + builderOf(block.commitment()));
        }
        Set<Bytes32> inBlock = new HashSet<>(block.txHashes());
        for (BundleRecord r : block.bundles()) {
            bundlesDecided++;
            for (BundleEntry e : r.entries()) {
                if (!inBlock.contains(e.txHash())) {
                    violation("market: bundle of window " + r.window() + " partly decided at height " + height);
                }
            }
        }
        if (rights != null && !rights.fallenSilent().isEmpty()) {
            fallbackBlocks++;
        }
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    Map<Attack, Integer> built() {
        return new EnumMap<>(built);
    }

    Map<Attack, Integer> rejections() {
        return new EnumMap<>(rejections);
    }

    /** Per-replica records of decided heights compared, blocks decided after a fallback, bundles decided. */
    int records() {
        return records;
    }

    int fallbackBlocks() {
        return fallbackBlocks;
    }

    int bundlesDecided() {
        return bundlesDecided;
    }
}
