package dev.cortado.lightclient.api;

import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.merkle.MerkleProof;

/**
 * {@code GET /v0/block/{height}[?certifiedHeight=H]}: the header, its commitment, and the proof of the
 * commitment against the light-client state of {@code certifiedHeight} (whose root covers headers
 * {@code 0..certifiedHeight}, so the proof's leaf count is {@code certifiedHeight + 1}). A node proves
 * against the requested certified height when it can, else against any certified height it has;
 * {@code certifiedHeight} and {@code headerProof} are null while no certificate covers the block.
 * {@code confirmation} says whether the block is also L1-final (null from nodes that predate it).
 */
public record BlockAnswer(long height, String commitment, HeaderJson header, Long certifiedHeight,
        MerkleProofJson headerProof, ConfirmationJson confirmation) {

    public static BlockAnswer of(BlockHeader header, long chainId, Long certifiedHeight, MerkleProof headerProof) {
        if ((certifiedHeight == null) != (headerProof == null)) {
            throw new IllegalArgumentException("certifiedHeight and headerProof come together");
        }
        return new BlockAnswer(header.height().value(), header.commitment(chainId).toHex(), HeaderJson.of(header),
                certifiedHeight, MerkleProofJson.of(headerProof), ConfirmationJson.hotShotFinal(header.height().value(),
                header.view().value()));
    }

    public BlockAnswer withConfirmation(ConfirmationJson c) {
        return new BlockAnswer(height, commitment, header, certifiedHeight, headerProof, c);
    }
}
