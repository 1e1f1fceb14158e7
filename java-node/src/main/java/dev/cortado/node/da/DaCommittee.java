package dev.cortado.node.da;

import dev.cortado.node.consensus.EpochTable;
import dev.cortado.node.consensus.StakeWeights;
import dev.cortado.protocol.cert.SignerBitmap;
import dev.cortado.protocol.cert.Verdict;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * The DA committee of one epoch: the peers that hold stake in the epoch's table and are DA members (in the node:
 * marked DA by the epoch's table, StakeTable.sol's {@code isDa}, and configured with {@code da = true}; see
 * {@code runtime.DaCommittees}), weighted by the epoch's stakes. Votes and certificate bitmaps name peers by their universe
 * index (the {@code [[peers]]} order, fixed for the life of the network), so a bitmap has the same size in every
 * epoch and a vote's signer is the peer index its sender authenticated as; {@link #table()} is the committee alone
 * (members in universe order, every one a DA member), which the certificate's threshold and aggregate key use.
 * Pure and immutable.
 */
public final class DaCommittee {
    private final long epoch;
    private final int universeSize;
    /** Universe index to the member's position in {@link #table}, -1 for a non-member. */
    private final int[] position;
    /** Position in {@link #table} to universe index. */
    private final int[] member;
    /** Null when the epoch has no committee. */
    private final StakeTable table;

    private DaCommittee(long epoch, int universeSize, int[] position, int[] member, StakeTable table) {
        this.epoch = epoch;
        this.universeSize = universeSize;
        this.position = position;
        this.member = member;
        this.table = table;
    }

    /**
     * @param universe every configured peer's key, by universe index
     * @param daMembers the universe indices eligible for the committee (a set index without stake is not a member)
     * @param stakeGwei the epoch's stake per universe index (zero: not in the epoch's table)
     */
    public static DaCommittee of(long epoch, List<BlsPublicKey> universe, BitSet daMembers, long[] stakeGwei) {
        if (stakeGwei.length != universe.size()) {
            throw new IllegalArgumentException("the epoch's stakes cover " + stakeGwei.length + " peers, the universe has "
                    + universe.size());
        }
        int[] position = new int[universe.size()];
        Arrays.fill(position, -1);
        List<StakeEntry> entries = new ArrayList<>();
        List<Integer> members = new ArrayList<>();
        for (int i = 0; i < universe.size(); i++) {
            if (daMembers.get(i) && stakeGwei[i] > 0) {
                position[i] = entries.size();
                entries.add(new StakeEntry(universe.get(i), stakeGwei[i], true));
                members.add(i);
            }
        }
        return new DaCommittee(epoch, universe.size(), position, members.stream().mapToInt(Integer::intValue).toArray(),
                entries.isEmpty() ? null : StakeTable.of(entries));
    }

    /**
     * The committee of {@code epoch} under {@code table}: the indices the table marks as DA (StakeTable.sol's
     * {@code isDa} for a table read from L1) that are also configured {@code da}, the only peers sent full blocks.
     * A table's DA member outside {@code daConfigured} is left out: it could never vote, and its stake would only
     * raise the threshold.
     *
     * @param universe every configured peer's key, by universe index (the table's size)
     * @param daConfigured the peers configured with {@code da = true}
     */
    public static DaCommittee ofEpoch(long epoch, List<BlsPublicKey> universe, EpochTable table, BitSet daConfigured) {
        StakeWeights w = table.weights();
        if (w.size() != universe.size()) {
            throw new IllegalArgumentException("the table of epoch " + epoch + " covers " + w.size()
                    + " peers, the universe has " + universe.size());
        }
        BitSet members = table.daMembers();
        members.and(daConfigured);
        long[] stakes = new long[w.size()];
        for (int i = 0; i < stakes.length; i++) {
            stakes[i] = w.stakeGwei(i);
        }
        return of(epoch, universe, members, stakes);
    }

    /** The committee of a protocol table on its own: the universe is the table, members its {@code isDa} entries. */
    public static DaCommittee ofTable(StakeTable table) {
        BitSet da = new BitSet();
        long[] stake = new long[table.size()];
        List<BlsPublicKey> keys = new ArrayList<>();
        for (int i = 0; i < table.size(); i++) {
            da.set(i, table.entry(i).daMember());
            stake[i] = table.entry(i).stakeGwei();
            keys.add(table.entry(i).key());
        }
        return of(0, keys, da, stake);
    }

    public long epoch() {
        return epoch;
    }

    public int universeSize() {
        return universeSize;
    }

    /** No DA member holds stake in this epoch: nobody can form a certificate. */
    public boolean isEmpty() {
        return table == null;
    }

    public boolean isMember(int universeIndex) {
        return universeIndex >= 0 && universeIndex < universeSize && position[universeIndex] >= 0;
    }

    /** The member's position in {@link #table()}; -1 for a non-member. */
    public int position(int universeIndex) {
        return isMember(universeIndex) ? position[universeIndex] : -1;
    }

    /** The members alone, in universe order; empty when {@link #isEmpty()}. */
    public Optional<StakeTable> table() {
        return Optional.ofNullable(table);
    }

    /** The members' universe indices, in order. */
    public int[] members() {
        return member.clone();
    }

    /** A bitmap over the committee's positions, as the same signers over the universe. */
    public SignerBitmap toUniverse(SignerBitmap overTable) {
        SignerBitmap out = SignerBitmap.empty(universeSize);
        for (int p : overTable.signers().toArray()) {
            out = out.with(member[p]);
        }
        return out;
    }

    /**
     * A bitmap over the universe as positions in {@link #table()}, or why not: the wrong size, or a signer outside
     * this epoch's committee (checked here, so such a certificate never costs a pairing).
     */
    public Mapped toTable(SignerBitmap overUniverse) {
        if (overUniverse.size() != universeSize) {
            return new Mapped.Refused(Verdict.Reason.BITMAP_SIZE_MISMATCH, "bitmap covers " + overUniverse.size() + " peers, the universe has " + universeSize);
        }
        if (table == null) {
            return new Mapped.Refused(Verdict.Reason.SIGNER_NOT_ELIGIBLE, "epoch " + epoch + " has no DA committee");
        }
        SignerBitmap out = SignerBitmap.empty(table.size());
        for (int i : overUniverse.signers().toArray()) {
            if (position[i] < 0) {
                return new Mapped.Refused(Verdict.Reason.SIGNER_NOT_ELIGIBLE, "signer " + i + " is not on the DA committee of epoch " + epoch);
            }
            out = out.with(position[i]);
        }
        return new Mapped.Ok(out);
    }

    /** What {@link #toTable} made of a bitmap. */
    public sealed interface Mapped {
        record Ok(SignerBitmap overTable) implements Mapped {
        }

        record Refused(Verdict.Reason reason, String detail) implements Mapped {
        }
    }

    @Override
    public String toString() {
        return "DA committee of epoch " + epoch + " " + Arrays.toString(member);
    }
}
