package dev.cortado.node.storage;

/**
 * What a node keeps for one decided height, each part in its canonical wire encoding.
 *
 * @param height the block height
 * @param view the view it was proposed in
 * @param header the encoded block header
 * @param leaf the encoded consensus leaf
 * @param qc the encoded quorum certificate that certifies the leaf
 * @param commitment the header commitment (32 bytes)
 */
public record DecidedBlock(long height, long view, byte[] header, byte[] leaf, byte[] qc, byte[] commitment) {
    public DecidedBlock {
        if (height < 0 || view < 0) {
            throw new IllegalArgumentException("height and view are non-negative");
        }
        if (commitment.length != 32) {
            throw new IllegalArgumentException("commitment is 32 bytes");
        }
    }
}
