package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.Epochs;
import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.consensus.StakeWeights;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Global safety: at most one leaf is ever decided at a height, across every honest replica, and each
 * replica's decided chain grows by contiguous, parent-linked leaves. Together these make every two decided
 * chains prefixes of one another.
 *
 * <p>Data availability: every decided leaf was certified, and a QC carries more than 2/3 of the stake of
 * which the faulty hold at most 1/3, so honest voters with more than 1/3 of the stake voted for it; an
 * honest replica votes only once it holds the block's data. A decided leaf whose data reached honest
 * replicas with at most 1/3 of the stake was therefore certified by replicas that did not have it. With
 * epochs, "the stake" is the table of the leaf's own epoch.
 *
 * <p>Epochs: no decided leaf carries an empty block (only the suffix leaves an epoch proposes after its handover
 * leaf do, and they must never be decided), and every commit QC's signers are members of its own epoch's table.
 */
public final class SafetyChecker {
    static final String CONFLICT = "conflicting decision";
    static final String NOT_EXTENDING = "does not extend";
    static final String DATA = "data unavailable";
    static final String WRONG_TABLE = "wrong next stake table";
    static final String SUFFIX = "suffix leaf decided";
    static final String FOREIGN_SIGNER = "QC signed outside its epoch's table";

    private final Map<Long, Bytes32> decidedAtHeight = new HashMap<>();
    private final Map<Integer, Leaf> lastByReplica = new HashMap<>();
    private final Map<Integer, Bytes32> lastCommitmentByReplica = new HashMap<>();
    private final Map<Bytes32, BitSet> dataAt = new HashMap<>();
    private final long[] stakesGwei;
    private final boolean[] honest;
    private long cachedEpoch = -1;
    private long[] cachedStakes;
    private final List<String> violations = new ArrayList<>();
    private Epochs epochs = Epochs.NONE;
    private long handoversDecided;

    /** A checker without the data check (for tests of the chain checks alone). */
    public SafetyChecker(Leaf genesis) {
        this(genesis, null, null);
    }

    /** @param stakesGwei and {@code honest}, per replica: enable the data-availability check */
    public SafetyChecker(Leaf genesis, long[] stakesGwei, boolean[] honest) {
        decidedAtHeight.put(0L, genesis.commitment());
        this.stakesGwei = stakesGwei;
        this.honest = honest;
    }

    /** Also checks that every decided leaf names the next stake table exactly as {@code e} requires. */
    public void expectHandovers(Epochs e) {
        this.epochs = e;
    }

    /** Distinct heights decided whose leaf handed over to the next epoch's table. */
    public long handoversDecided() {
        return handoversDecided;
    }

    /** Registers what {@code replica} has decided before this simulation (its starting chain tip). */
    public void start(int replica, Leaf tip) {
        lastByReplica.put(replica, tip);
        lastCommitmentByReplica.put(replica, tip.commitment());
    }

    /** The DA layer gave {@code replica} the data of {@code blockCommitment}. */
    public void onDataAvailable(int replica, Bytes32 blockCommitment) {
        if (honest != null && honest[replica]) {
            dataAt.computeIfAbsent(blockCommitment, b -> new BitSet()).set(replica);
        }
    }

    public void onDecide(int replica, List<Leaf> leaves, long atMs) {
        for (Leaf leaf : leaves) {
            Bytes32 commitment = leaf.commitment();
            Leaf last = lastByReplica.get(replica);
            Bytes32 lastCommitment = lastCommitmentByReplica.get(replica);
            if (leaf.height().value() != last.height().value() + 1 || !leaf.parentCommitment().equals(lastCommitment)) {
                violations.add("at " + atMs + " ms replica " + replica + " decided " + leaf.height() + " "
                        + commitment + " which " + NOT_EXTENDING + " its previous decision " + last.height() + " "
                        + lastCommitment);
            }
            Bytes32 other = decidedAtHeight.putIfAbsent(leaf.height().value(), commitment);
            if (other != null && !other.equals(commitment)) {
                violations.add(CONFLICT + ": at " + atMs + " ms replica " + replica + " decided " + commitment
                        + " at " + leaf.height() + " where " + other + " was decided");
            }
            if (other == null && epochs.isHandover(leaf.height())) {
                handoversDecided++;
            }
            if (epochs.schedule().isPresent() && leaf.blockCommitment().equals(Bytes32.ZERO)) {
                violations.add(SUFFIX + ": at " + atMs + " ms replica " + replica + " decided the empty leaf at "
                        + leaf.height() + " (view " + leaf.view().value() + ")");
            }
            epochs.checkNextTable(leaf).ifPresent(why -> violations.add(WRONG_TABLE + ": at " + atMs + " ms replica "
                    + replica + " decided " + why));
            checkData(replica, leaf, atMs);
            lastByReplica.put(replica, leaf);
            lastCommitmentByReplica.put(replica, commitment);
        }
    }

    /** The commit QC of a decision of {@code replica}: its signers must be members of its epoch's table. */
    public void onCommitQc(int replica, QuorumCertificate qc, long atMs) {
        if (stakesGwei == null || qc.isGenesis()) {
            return;
        }
        long[] table = stakesOf(qc.epoch());
        BitSet signers = qc.signature().signers();
        for (int i = signers.nextSetBit(0); i >= 0; i = signers.nextSetBit(i + 1)) {
            if (i >= table.length || table[i] == 0) {
                violations.add(FOREIGN_SIGNER + ": at " + atMs + " ms replica " + replica + " decided with the QC of "
                        + qc.view() + " (epoch " + qc.epoch() + ") signed by " + i + ", not a member of that epoch");
                return;
            }
        }
    }

    private long[] stakesOf(long epoch) {
        if (epoch == 0) {
            return stakesGwei;
        }
        if (epoch == cachedEpoch) {
            return cachedStakes;
        }
        StakeWeights w = epochs.tables().table(epoch).orElseThrow().weights();
        long[] stakes = new long[w.size()];
        for (int i = 0; i < stakes.length; i++) {
            stakes[i] = w.stakeGwei(i);
        }
        cachedEpoch = epoch;
        cachedStakes = stakes;
        return stakes;
    }

    private void checkData(int replica, Leaf leaf, long atMs) {
        if (stakesGwei == null) {
            return;
        }
        long[] stakesGwei = stakesOf(epochs.epochOf(leaf.height()));
        long totalStakeGwei = java.util.Arrays.stream(stakesGwei).sum();
        BitSet holders = dataAt.getOrDefault(leaf.blockCommitment(), new BitSet());
        long stake = 0;
        for (int r = holders.nextSetBit(0); r >= 0; r = holders.nextSetBit(r + 1)) {
            stake += stakesGwei[r];
        }
        if (3 * (double) stake <= totalStakeGwei) {
            violations.add(DATA + ": at " + atMs + " ms replica " + replica + " decided " + leaf.height() + " (view "
                    + leaf.view().value() + ") whose data reached honest replicas " + holders + " with " + stake
                    + " of " + totalStakeGwei + " gwei, not more than 1/3: no honest share of its QC had it");
        }
    }

    public boolean hasViolations() {
        return !violations.isEmpty();
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    public long decidedHeight(int replica) {
        return lastByReplica.get(replica).height().value();
    }
}
