package dev.cortado.settlement.lightclient;

import dev.cortado.lightclient.LightClientVerificationException;
import dev.cortado.lightclient.LightClientVerificationException.Reason;
import dev.cortado.protocol.cert.LightClientCertificate;
import dev.cortado.protocol.cert.NonSignerData;
import dev.cortado.protocol.cert.SignerBitmap;
import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.DomainTags;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.merkle.MerkleProof;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a light-client certificate and its non-signer data against nothing but a stake-table
 * commitment, in the order LightClient.sol does (docs/architecture.md, "Light-client certificate
 * calldata"). On top of the contract's checks it requires the non-signers to be exactly the bitmap's
 * clear bits, so the certificate the node served and the calldata agree.
 */
final class CommittedTableVerifier {
    private CommittedTableVerifier() {
    }

    static void verify(LightClientCertificate lc, NonSignerData data, long chainId, Bytes32 committedTable) {
        if (data.count() < 1 || data.count() > StakeTable.MAX_ENTRIES) {
            throw reject(Reason.INVALID_NON_SIGNER_DATA, "stake table size " + data.count() + " out of range");
        }
        if (data.totalStakeGwei() < 1) {
            throw reject(Reason.INVALID_NON_SIGNER_DATA, "total stake " + data.totalStakeGwei() + " gwei");
        }
        Bytes32 passed = Abi.encoder().bytes32(DomainTags.STAKE_TABLE).bytes32(data.root()).uint256(data.count())
                .uint256(data.totalStakeGwei()).bytes32(Keccak.hash(data.aggKeyEip2537())).hash();
        if (!passed.equals(committedTable)) {
            throw reject(Reason.WRONG_STAKE_TABLE, "the answer's stake table " + passed
                    + " is not the one LightClient commits to, " + committedTable);
        }
        SignerBitmap signers = lc.cert().signers();
        if (signers.size() != data.count()) {
            throw reject(Reason.INVALID_CERTIFICATE, "bitmap covers " + signers.size() + " entries, table has "
                    + data.count());
        }
        int[] absent = signers.nonSigners().toArray();
        List<NonSignerData.NonSigner> given = data.nonSigners();
        if (given.size() != absent.length) {
            throw reject(Reason.INVALID_NON_SIGNER_DATA, "bitmap has " + absent.length + " non-signers, the data lists "
                    + given.size());
        }
        long absentStake = 0;
        List<BlsPublicKey> absentKeys = new ArrayList<>(absent.length);
        for (int i = 0; i < absent.length; i++) {
            NonSignerData.NonSigner ns = given.get(i);
            if (ns.index() != absent[i]) {
                throw reject(Reason.INVALID_NON_SIGNER_DATA, "non-signer " + i + " is index " + ns.index()
                        + ", the bitmap says " + absent[i]);
            }
            if (ns.stakeGwei() < 0) {
                throw reject(Reason.INVALID_NON_SIGNER_DATA, "non-signer " + ns.index() + " has negative stake");
            }
            Bytes32 leaf = Abi.encoder().bytes32(DomainTags.STAKE_LEAF).uint256(ns.index())
                    .bytes32(Keccak.hash(ns.pkEip2537())).uint256(ns.stakeGwei()).bool(ns.isDa()).hash();
            MerkleProof proof;
            try {
                proof = new MerkleProof(ns.index(), (int) data.count(), ns.siblings());
            } catch (IllegalArgumentException e) {
                throw reject(Reason.INVALID_NON_SIGNER_DATA, "non-signer " + ns.index() + ": " + e.getMessage());
            }
            if (!proof.verify(leaf, data.root())) {
                throw reject(Reason.INVALID_NON_SIGNER_DATA, "non-signer " + ns.index() + " is not in the stake table");
            }
            try {
                absentKeys.add(BlsPublicKey.fromEip2537(ns.pkEip2537()));
            } catch (IllegalArgumentException e) {
                throw reject(Reason.INVALID_NON_SIGNER_DATA, "non-signer " + ns.index() + " key: " + e.getMessage());
            }
            absentStake = Math.addExact(absentStake, ns.stakeGwei());
        }
        long signed = Math.max(0, data.totalStakeGwei() - absentStake);
        if (!StakeTable.exceedsTwoThirds(signed, data.totalStakeGwei())) {
            throw reject(Reason.INSUFFICIENT_STAKE, "light-client certificate for height " + lc.state().height().value()
                    + " signed " + signed + " of " + data.totalStakeGwei() + " gwei, need more than two thirds");
        }
        BlsPublicKey signersKey;
        try {
            BlsPublicKey all = BlsPublicKey.fromEip2537(data.aggKeyEip2537());
            signersKey = absentKeys.isEmpty() ? all : Bls.subtractKeys(all, absentKeys);
        } catch (IllegalArgumentException e) {
            throw reject(Reason.INVALID_NON_SIGNER_DATA, "aggregate key: " + e.getMessage());
        }
        Bytes32 digest = lc.state().digest(chainId);
        if (!Bls.fastAggregateVerify(signersKey, digest, lc.cert().signature())) {
            throw reject(Reason.INVALID_CERTIFICATE, "light-client certificate for height " + lc.state().height().value()
                    + ": the aggregate signature does not verify for its " + signers.count() + " signers");
        }
    }

    private static LightClientVerificationException reject(Reason reason, String message) {
        return new LightClientVerificationException(reason, message);
    }
}
