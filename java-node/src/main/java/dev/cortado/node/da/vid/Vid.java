package dev.cortado.node.da.vid;

import dev.cortado.protocol.merkle.MerkleAccumulator;
import dev.cortado.protocol.merkle.MerkleProof;
import dev.cortado.protocol.merkle.MerkleTree;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * AVID-M style verifiable information dispersal for {@code n} nodes: the payload is erasure coded
 * into {@code n} shares, any {@code k = n - 2f} of which (with {@code f = floor((n-1)/3)}) recover it.
 *
 * <p>Layout: with {@code L} payload bytes and {@code S = 2 * ceil(L / 2k)} bytes per share, data share
 * {@code j < k} is payload bytes {@code [jS, (j+1)S)} padded with zeros, and shares {@code k..n-1}
 * are Reed–Solomon parity ({@link ReedSolomon16}). Share leaves ({@link VidShare#leaf}) form a Merkle
 * tree ({@link MerkleTree}); {@link VidCommitment} binds its root to {@code n} and {@code L}.
 *
 * <p>Recovery decodes from {@code k} shares, then re-encodes the recovered payload from scratch and
 * compares the share root: a disperser whose shares are not one codeword (or whose padding is not
 * zero) is caught, and {@link InconsistentDispersalException} carries the evidence.
 */
public final class Vid {
    /** Upper bound on a dispersed payload; keeps share sizes and decoding memory bounded. */
    public static final long MAX_PAYLOAD_BYTES = 128L << 20;

    private final ReedSolomon16 code;
    private final int n;
    private final int k;

    public Vid(int shareCount) {
        this.n = shareCount;
        this.k = dataShareCount(shareCount);
        this.code = new ReedSolomon16(n, k);
    }

    /** {@code k = n - 2f} with {@code f = floor((n-1)/3)}, the number of shares that recover a payload. */
    public static int dataShareCount(int shareCount) {
        if (shareCount < 1) {
            throw new IllegalArgumentException("share count must be positive, got " + shareCount);
        }
        int f = (shareCount - 1) / 3;
        return shareCount - 2 * f;
    }

    /** Bytes in every share of a {@code payloadBytes}-byte payload (even: 16-bit symbols). */
    public static int shareBytes(long payloadBytes, int dataShares) {
        long symbols = (payloadBytes + 2L * dataShares - 1) / (2L * dataShares);
        return Math.toIntExact(2 * symbols);
    }

    public int shareCount() {
        return n;
    }

    public int dataShareCount() {
        return k;
    }

    public VidDispersal disperse(byte[] payload) {
        byte[][] shares = encodeShares(payload);
        List<Bytes32> leaves = leaves(shares);
        MerkleAccumulator tree = MerkleAccumulator.of(leaves);
        VidCommitment commitment = new VidCommitment(tree.root(), n, payload.length);
        List<VidShare> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new VidShare(i, shares[i], tree.proof(i)));
        }
        return new VidDispersal(commitment, out);
    }

    /** The commitment alone, as a DA committee member recomputes it from the full payload. */
    public VidCommitment commit(byte[] payload) {
        return new VidCommitment(MerkleTree.root(leaves(encodeShares(payload))), n, payload.length);
    }

    /** Why {@code share} is not share {@code share.index()} of {@code commitment}, or empty if it is. */
    public Optional<String> shareProblem(VidCommitment commitment, VidShare share) {
        if (commitment.shareCount() != n) {
            return Optional.of("commitment is for " + commitment.shareCount() + " shares, this VID has " + n);
        }
        if (share.index() >= n) {
            return Optional.of("share index " + share.index() + " outside 0.." + (n - 1));
        }
        int expected = shareBytes(commitment.payloadBytes(), k);
        if (share.dataLength() != expected) {
            return Optional.of("share " + share.index() + " has " + share.dataLength() + " bytes, expected " + expected);
        }
        MerkleProof proof = share.proof();
        if (proof.leafCount() != n) {
            return Optional.of("share " + share.index() + " proof is for " + proof.leafCount() + " leaves, expected " + n);
        }
        if (!proof.verify(share.leaf(), commitment.shareRoot())) {
            return Optional.of("share " + share.index() + " does not match the share root " + commitment.shareRoot());
        }
        return Optional.empty();
    }

    public boolean verifyShare(VidCommitment commitment, VidShare share) {
        return shareProblem(commitment, share).isEmpty();
    }

    /**
     * Recovers the payload from at least {@code k} shares at distinct indexes, each of which must pass
     * {@link #verifyShare} (filter untrusted shares first).
     *
     * @throws IllegalArgumentException if a share is invalid, repeated, or fewer than k are given
     * @throws InconsistentDispersalException if the committed shares are not one codeword
     */
    public byte[] recover(VidCommitment commitment, Collection<VidShare> shares) throws InconsistentDispersalException {
        TreeMap<Integer, VidShare> byIndex = new TreeMap<>();
        for (VidShare s : shares) {
            shareProblem(commitment, s).ifPresent(p -> {
                throw new IllegalArgumentException("invalid share: " + p);
            });
            if (byIndex.put(s.index(), s) != null) {
                throw new IllegalArgumentException("share " + s.index() + " given twice");
            }
        }
        if (byIndex.size() < k) {
            throw new IllegalArgumentException("recovery needs " + k + " shares of " + n + ", got " + byIndex.size());
        }
        // The lowest indexes first: data shares decode for free.
        int[] decodeIdx = new int[k];
        byte[][] decodeShares = new byte[k][];
        int t = 0;
        for (VidShare s : byIndex.values()) {
            if (t == k) {
                break;
            }
            decodeIdx[t] = s.index();
            decodeShares[t] = s.dataUnsafe();
            t++;
        }
        byte[][] data = code.decodeData(decodeIdx, decodeShares);
        byte[] payload = assemble(data, commitment.payloadBytes());

        List<Bytes32> reLeaves = leaves(encodeShares(payload));
        Bytes32 reRoot = MerkleTree.root(reLeaves);
        if (reRoot.equals(commitment.shareRoot())) {
            return payload;
        }
        throw new InconsistentDispersalException(evidence(commitment, byIndex.values(), decodeIdx, reLeaves, reRoot));
    }

    private InconsistentDispersal evidence(VidCommitment commitment, Collection<VidShare> given, int[] decodeIdx,
            List<Bytes32> reLeaves, Bytes32 reRoot) {
        MerkleAccumulator reTree = MerkleAccumulator.of(reLeaves);
        TreeSet<Integer> exact = new TreeSet<>();
        List<InconsistentDispersal.SubtreeMismatch> subtrees = new ArrayList<>();
        int lowestLevel = Integer.MAX_VALUE;
        for (VidShare s : given) {
            int i = s.index();
            if (!reLeaves.get(i).equals(s.leaf())) {
                exact.add(i);
            }
            List<Bytes32> committed = s.proof().siblings();
            List<Bytes32> recomputed = reTree.proof(i).siblings();
            for (int level = 0; level < committed.size(); level++) {
                if (committed.get(level).equals(recomputed.get(level))) {
                    continue;
                }
                int first = ((i >>> level) ^ 1) << level;
                if (level == 0) {
                    exact.add(first);
                } else if (level <= lowestLevel) {
                    if (level < lowestLevel) {
                        subtrees.clear();
                        lowestLevel = level;
                    }
                    var m = new InconsistentDispersal.SubtreeMismatch(level, first, Math.min(first + (1 << level), n));
                    if (!subtrees.contains(m)) {
                        subtrees.add(m);
                    }
                }
                break;
            }
        }
        return new InconsistentDispersal(commitment.vidRoot(), commitment.shareRoot(), reRoot,
                Arrays.stream(decodeIdx).boxed().toList(), List.copyOf(exact), exact.isEmpty() ? subtrees : List.of());
    }

    /** Splits and pads the payload into k data shares and appends the n - k parity shares. */
    byte[][] encodeShares(byte[] payload) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds " + MAX_PAYLOAD_BYTES);
        }
        int shareBytes = shareBytes(payload.length, k);
        byte[][] data = new byte[k][];
        for (int j = 0; j < k; j++) {
            long from = (long) j * shareBytes;
            int len = (int) Math.max(0, Math.min(shareBytes, payload.length - from));
            data[j] = new byte[shareBytes];
            if (len > 0) {
                System.arraycopy(payload, (int) from, data[j], 0, len);
            }
        }
        return code.encode(data);
    }

    private static byte[] assemble(byte[][] data, long payloadBytes) {
        byte[] payload = new byte[Math.toIntExact(payloadBytes)];
        int pos = 0;
        for (byte[] d : data) {
            int len = Math.min(d.length, payload.length - pos);
            if (len <= 0) {
                break;
            }
            System.arraycopy(d, 0, payload, pos, len);
            pos += len;
        }
        return payload;
    }

    private static List<Bytes32> leaves(byte[][] shares) {
        List<Bytes32> leaves = new ArrayList<>(shares.length);
        for (int i = 0; i < shares.length; i++) {
            leaves.add(VidShare.leaf(i, shares[i]));
        }
        return leaves;
    }
}
