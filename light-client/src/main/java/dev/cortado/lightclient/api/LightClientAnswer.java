package dev.cortado.lightclient.api;

import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.cert.AggregateCertificate;
import dev.cortado.protocol.cert.LightClientCertificate;
import dev.cortado.protocol.cert.LightClientState;
import dev.cortado.protocol.cert.NonSignerData;
import dev.cortado.protocol.cert.SignerBitmap;
import dev.cortado.protocol.cert.ThresholdKind;
import dev.cortado.protocol.crypto.BlsSignature;
import dev.cortado.protocol.merkle.MerkleProof;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.Hex;
import dev.cortado.protocol.types.View;
import java.util.List;

/**
 * {@code GET /v0/light-client/latest} and {@code GET /v0/light-client/{height}}: the light-client
 * state of a decided block, its quorum certificate, the non-signer data {@code LightClientUpdate} on
 * L1 needs, and the block's header with the proof of its commitment against the state's own
 * {@code blockCommRoot} (leaf {@code height} of {@code height + 1}).
 */
public record LightClientAnswer(StateJson state, CertificateJson certificate, NonSignerDataJson nonSignerData,
        HeaderJson header, MerkleProofJson headerProof) {

    /** {@code digest} is informational: verifiers recompute it for their chain id. */
    public record StateJson(long view, long height, String blockCommRoot, String stakeTableComm, String digest) {
        public LightClientState toState() {
            return new LightClientState(new View(view), new Height(height), Json.bytes32(blockCommRoot, "blockCommRoot"),
                    Json.bytes32(stakeTableComm, "stakeTableComm"));
        }
    }

    /**
     * @param signers the signer bitmap bytes (bit i at byte i/8, least significant bit first)
     * @param stakeTableSize the number of bits that count
     * @param signature compressed G1 (48 bytes); {@code signatureEip2537} is the same point in L1 form
     */
    public record CertificateJson(int stakeTableSize, String signers, int signerCount, String signature,
            String signatureEip2537) {
    }

    public record NonSignerJson(int index, String publicKeyEip2537, long stakeGwei, boolean isDa, List<String> siblings) {
    }

    public record NonSignerDataJson(String aggKeyEip2537, String root, long count, long totalStakeGwei,
            List<NonSignerJson> nonSigners) {

        public static NonSignerDataJson of(NonSignerData d) {
            return new NonSignerDataJson(Hex.encode(d.aggKeyEip2537()), d.root().toHex(), d.count(), d.totalStakeGwei(),
                    d.nonSigners().stream().map(n -> new NonSignerJson(n.index(), Hex.encode(n.pkEip2537()), n.stakeGwei(),
                            n.isDa(), n.siblings().stream().map(Bytes32::toHex).toList())).toList());
        }

        public NonSignerData toData() {
            List<NonSignerData.NonSigner> list = Json.required(nonSigners, "nonSigners").stream()
                    .map(n -> new NonSignerData.NonSigner(Json.required(n, "nonSigners[]").index(),
                            Json.bytes(n.publicKeyEip2537(), "publicKeyEip2537"),
                            n.stakeGwei(), n.isDa(), Json.roots(n.siblings(), "siblings")))
                    .toList();
            return new NonSignerData(Json.bytes(aggKeyEip2537, "aggKeyEip2537"), Json.bytes32(root, "root"), count,
                    totalStakeGwei, list);
        }
    }

    public static LightClientAnswer of(LightClientCertificate lc, long chainId, StakeTable table, BlockHeader header,
            MerkleProof headerProof) {
        LightClientState s = lc.state();
        AggregateCertificate c = lc.cert();
        return new LightClientAnswer(
                new StateJson(s.view().value(), s.height().value(), s.blockCommRoot().toHex(), s.stakeTableComm().toHex(),
                        s.digest(chainId).toHex()),
                new CertificateJson(c.signers().size(), Hex.encode(c.signers().toBytes()), c.signers().count(),
                        c.signature().toHex(), Hex.encode(c.signature().toEip2537())),
                NonSignerDataJson.of(lc.nonSignerData(table)), HeaderJson.of(header), MerkleProofJson.of(headerProof));
    }

    /** The certificate as the protocol type; the digest is the state's, for {@code chainId}. */
    public LightClientCertificate toCertificate(long chainId) {
        LightClientState s = Json.required(state, "state").toState();
        CertificateJson c = Json.required(certificate, "certificate");
        SignerBitmap bitmap = SignerBitmap.fromBytes(Json.bytes(c.signers(), "signers"), c.stakeTableSize());
        BlsSignature sig = BlsSignature.fromBytes(Json.bytes(c.signature(), "signature"));
        return new LightClientCertificate(s, new AggregateCertificate(ThresholdKind.QUORUM, s.digest(chainId), bitmap, sig));
    }
}
