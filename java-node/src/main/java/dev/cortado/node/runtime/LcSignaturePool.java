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
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Light-client signatures per height, verified in batches. A peer's signature is parsed on arrival
 * (cheap) and parked in its signer's one slot; no pairing runs until the parked and verified
 * signatures together carry a certificate's worth of stake. Then all parked ones are checked with
 * one aggregate verification; only if that fails are they checked one by one, and the bad signers
 * are counted and barred for that height.
 *
 * <p>Each height is signed by the protocol table of its epoch ({@link LcSigners}), the handover too:
 * a signature counts only if its authenticated sender holds stake in that table at the index it claims
 * (checked before any parsing or pairing), and the certificate's bitmap and threshold are over that table.
 * A signature for a height whose table is not known yet waits unparsed, one per sender, and is judged
 * once it is. State is bounded by heights within {@link #WINDOW} of the tip times one slot per peer of
 * the universe (the authenticated sender, which it cannot choose). Pure: no I/O, event thread only.
 */
final class LcSignaturePool {
    /** Heights further than this from our tip are not collected. */
    static final long WINDOW = 128;

    /** One height's signatures, by index in its epoch's table. {@code state} is null until we decide it ourselves. */
    private static final class Slots {
        LightClientState state;
        Bytes32 digest;
        boolean certified;
        /** Null until the height's table is known. */
        LcSigners.Epoch signers;
        final TreeMap<Integer, BlsSignature> verified = new TreeMap<>();
        final TreeMap<Integer, BlsSignature> parked = new TreeMap<>();
        final BitSet barred = new BitSet();
        /** Signatures that came before the table was known, unparsed, by sending peer. */
        final TreeMap<Integer, NodeMessage.LcSignature> unresolved = new TreeMap<>();

        boolean holds(int signer) {
            return verified.containsKey(signer) || parked.containsKey(signer) || barred.get(signer);
        }
    }

    private final long chainId;
    private final LcSigners signers;
    private final LcVerifier verifier;
    private final Misbehaviour misbehaviour;
    private final TreeMap<Long, Slots> byHeight = new TreeMap<>();

    LcSignaturePool(long chainId, LcSigners signers, LcVerifier verifier, Misbehaviour misbehaviour) {
        this.chainId = chainId;
        this.signers = signers;
        this.verifier = verifier;
        this.misbehaviour = misbehaviour;
    }

    /**
     * We decided {@code state} and signed it as index {@code me} of its epoch's table; parked signatures for its
     * height can now be checked. {@code alreadyCertified}: a certificate for the height is stored (e.g. before a
     * restart). The height's table must be known.
     */
    Optional<LightClientCertificate> own(LightClientState state, int me, BlsSignature own, boolean alreadyCertified) {
        Slots s = decide(state);
        s.parked.remove(me);
        s.verified.put(me, own);
        return alreadyCertified ? certified(s) : tryCertify(s);
    }

    /** We decided {@code state} but hold no stake in its epoch: the others' signatures may still certify it. */
    Optional<LightClientCertificate> decided(LightClientState state, boolean alreadyCertified) {
        Slots s = decide(state);
        return alreadyCertified ? certified(s) : tryCertify(s);
    }

    private Slots decide(LightClientState state) {
        long height = state.height().value();
        LcSigners.Epoch epoch = signers.ofHeight(height).orElseThrow(() -> new IllegalStateException(
                "the table of height " + height + "'s epoch is not known: its state cannot be decided yet"));
        Slots s = byHeight.computeIfAbsent(height, h -> new Slots());
        s.state = state;
        s.digest = state.digest(chainId);
        resolve(s, epoch);
        byHeight.headMap(height - WINDOW).clear();
        return s;
    }

    /** A signature from authenticated peer {@code from}; cheap checks first, then park, then maybe certify. */
    Optional<LightClientCertificate> offer(long tipHeight, int from, NodeMessage.LcSignature m) {
        if (from < 0 || from >= signers.universeSize()
                || m.height() + WINDOW < tipHeight || m.height() > tipHeight + WINDOW) {
            return Optional.empty();
        }
        // Heights whose table stays unknown are never decided here, so the window is also enforced as the tip moves.
        byHeight.headMap(tipHeight - WINDOW).clear();
        Slots s = byHeight.get(m.height());
        if (s != null && s.certified) {
            return Optional.empty();
        }
        if (s == null || s.signers == null) {
            Optional<LcSigners.Epoch> epoch = signers.ofHeight(m.height());
            if (epoch.isEmpty()) {
                byHeight.computeIfAbsent(m.height(), h -> new Slots()).unresolved.putIfAbsent(from, m);
                return Optional.empty();
            }
            if (s == null) {
                if (!claimsOwnIndex(epoch.get(), from, m)) {
                    return Optional.empty();
                }
                s = new Slots();
                byHeight.put(m.height(), s);
            }
            resolve(s, epoch.get());
        }
        return admit(s, from, m) && s.state != null ? tryCertify(s) : Optional.empty();
    }

    private static boolean claimsOwnIndex(LcSigners.Epoch epoch, int from, NodeMessage.LcSignature m) {
        OptionalInt at = epoch.position(from);
        return at.isPresent() && at.getAsInt() == m.signer();
    }

    /** The height's table is now known: judge what waited for it. */
    private void resolve(Slots s, LcSigners.Epoch epoch) {
        if (s.signers != null) {
            return;
        }
        s.signers = epoch;
        for (Map.Entry<Integer, NodeMessage.LcSignature> e : s.unresolved.entrySet()) {
            admit(s, e.getKey(), e.getValue());
        }
        s.unresolved.clear();
    }

    /** Parks {@code m} if its sender holds stake at the index it claims and has no slot yet; no pairing. */
    private boolean admit(Slots s, int from, NodeMessage.LcSignature m) {
        if (!claimsOwnIndex(s.signers, from, m) || s.holds(m.signer())) {
            return false;
        }
        try {
            s.parked.put(m.signer(), BlsSignature.fromBytes(m.signature()));
            return true;
        } catch (IllegalArgumentException malformed) {
            misbehaviour.count(Misbehaviour.Kind.BAD_LC_SIGNATURE);
            s.barred.set(m.signer());
            return false;
        }
    }

    private Optional<LightClientCertificate> tryCertify(Slots s) {
        StakeTable table = s.signers.table();
        if (s.certified || !table.isQuorum(stake(table, s.verified) + stake(table, s.parked))) {
            return Optional.empty();
        }
        if (!s.parked.isEmpty()) {
            verifyParked(s);
        }
        if (!table.isQuorum(stake(table, s.verified))) {
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
        StakeTable table = s.signers.table();
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
    private static Optional<LightClientCertificate> certified(Slots s) {
        s.certified = true;
        s.verified.clear();
        s.parked.clear();
        s.unresolved.clear();
        return Optional.empty();
    }

    private static long stake(StakeTable table, Map<Integer, BlsSignature> signers) {
        long sum = 0;
        for (int signer : signers.keySet()) {
            sum += table.entry(signer).stakeGwei();
        }
        return sum;
    }

    /** Signatures held (verified, parked or waiting for their table) across all heights: what the class bound caps. */
    int heldSignatures() {
        int n = 0;
        for (Slots s : byHeight.values()) {
            n += s.verified.size() + s.parked.size() + s.unresolved.size();
        }
        return n;
    }

    int heights() {
        return byHeight.size();
    }
}
