package dev.cortado.node.runtime;

import dev.cortado.protocol.cert.AggregateCertificate;
import dev.cortado.protocol.cert.LightClientCertificate;
import dev.cortado.protocol.cert.LightClientState;
import dev.cortado.protocol.cert.SignerBitmap;
import dev.cortado.protocol.cert.ThresholdKind;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.crypto.BlsSignature;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Light-client signatures per height, verified in batches. A peer's signature is parsed on arrival
 * (cheap) and parked in its signer's one slot; no pairing runs until the parked and verified
 * signatures together carry a certificate's worth of stake. Then all parked ones are checked with
 * one aggregate verification; only if that fails are they checked one by one, and the bad signers
 * are counted and barred for that height. State is bounded by heights within {@link #WINDOW} of
 * the tip times one slot per stake-table index (the authenticated sender, which it cannot choose).
 * Pure: no I/O, event thread only.
 */
final class LcSignaturePool {
    /** Heights further than this from our tip are not collected. */
    static final long WINDOW = 128;

    /** One height's signatures. {@code state} is null until we decide that height ourselves. */
    private static final class Slots {
        LightClientState state;
        Bytes32 digest;
        boolean certified;
        final TreeMap<Integer, BlsSignature> verified = new TreeMap<>();
        final TreeMap<Integer, BlsSignature> parked = new TreeMap<>();
        final BitSet barred = new BitSet();

        boolean holds(int signer) {
            return verified.containsKey(signer) || parked.containsKey(signer) || barred.get(signer);
        }
    }

    private final long chainId;
    private final StakeTable table;
    private final LcVerifier verifier;
    private final Misbehaviour misbehaviour;
    private final TreeMap<Long, Slots> byHeight = new TreeMap<>();

    LcSignaturePool(long chainId, StakeTable table, LcVerifier verifier, Misbehaviour misbehaviour) {
        this.chainId = chainId;
        this.table = table;
        this.verifier = verifier;
        this.misbehaviour = misbehaviour;
    }

    /**
     * We decided {@code state} and signed it as {@code me}; parked signatures for its height can now
     * be checked. {@code alreadyCertified}: a certificate for the height is stored (e.g. before a restart).
     */
    Optional<LightClientCertificate> own(LightClientState state, int me, BlsSignature own, boolean alreadyCertified) {
        long height = state.height().value();
        Slots s = byHeight.computeIfAbsent(height, h -> new Slots());
        s.state = state;
        s.digest = state.digest(chainId);
        s.parked.remove(me);
        s.verified.put(me, own);
        byHeight.headMap(height - WINDOW).clear();
        if (alreadyCertified) {
            certified(s);
            return Optional.empty();
        }
        return tryCertify(s);
    }

    /** A signature from authenticated peer {@code from}; cheap checks first, then park, then maybe certify. */
    Optional<LightClientCertificate> offer(long tipHeight, int from, NodeMessage.LcSignature m) {
        if (m.signer() != from || from < 0 || from >= table.size()
                || m.height() + WINDOW < tipHeight || m.height() > tipHeight + WINDOW) {
            return Optional.empty();
        }
        Slots s = byHeight.get(m.height());
        if (s != null && (s.certified || s.holds(from))) {
            return Optional.empty();
        }
        BlsSignature sig;
        try {
            sig = BlsSignature.fromBytes(m.signature());
        } catch (IllegalArgumentException malformed) {
            misbehaviour.count(Misbehaviour.Kind.BAD_LC_SIGNATURE);
            byHeight.computeIfAbsent(m.height(), h -> new Slots()).barred.set(from);
            return Optional.empty();
        }
        if (s == null) {
            s = new Slots();
            byHeight.put(m.height(), s);
        }
        s.parked.put(from, sig);
        return s.state == null ? Optional.empty() : tryCertify(s);
    }

    private Optional<LightClientCertificate> tryCertify(Slots s) {
        if (s.certified || !table.isQuorum(stake(s.verified) + stake(s.parked))) {
            return Optional.empty();
        }
        if (!s.parked.isEmpty()) {
            verifyParked(s);
        }
        if (!table.isQuorum(stake(s.verified))) {
            return Optional.empty();
        }
        SignerBitmap bitmap = SignerBitmap.empty(table.size());
        for (int signer : s.verified.keySet()) {
            bitmap = bitmap.with(signer);
        }
        AggregateCertificate cert = new AggregateCertificate(ThresholdKind.QUORUM, s.digest, bitmap,
                Bls.aggregate(new ArrayList<>(s.verified.values())));
        LightClientCertificate lc = new LightClientCertificate(s.state, cert);
        certified(s);
        return Optional.of(lc);
    }

    /** One aggregate check for all parked signatures; one-by-one only to find who spoiled it. */
    private void verifyParked(Slots s) {
        List<BlsPublicKey> keys = new ArrayList<>(s.parked.size());
        for (int signer : s.parked.keySet()) {
            keys.add(table.entry(signer).key());
        }
        if (verifier.all(keys, s.digest, new ArrayList<>(s.parked.values()))) {
            s.verified.putAll(s.parked);
        } else {
            for (Map.Entry<Integer, BlsSignature> e : s.parked.entrySet()) {
                if (verifier.one(table.entry(e.getKey()).key(), s.digest, e.getValue())) {
                    s.verified.put(e.getKey(), e.getValue());
                } else {
                    misbehaviour.count(Misbehaviour.Kind.BAD_LC_SIGNATURE);
                    s.barred.set(e.getKey());
                }
            }
        }
        s.parked.clear();
    }

    /** Nothing more to collect for this height: later signatures are dropped before parsing. */
    private static void certified(Slots s) {
        s.certified = true;
        s.verified.clear();
        s.parked.clear();
    }

    private long stake(Map<Integer, BlsSignature> signers) {
        long sum = 0;
        for (int signer : signers.keySet()) {
            sum += table.entry(signer).stakeGwei();
        }
        return sum;
    }

    /** Signatures held (verified or parked) across all heights: what the bound in the class comment caps. */
    int heldSignatures() {
        int n = 0;
        for (Slots s : byHeight.values()) {
            n += s.verified.size() + s.parked.size();
        }
        return n;
    }

    int heights() {
        return byHeight.size();
    }
}
