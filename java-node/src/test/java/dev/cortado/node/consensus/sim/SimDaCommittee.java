package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The DA committee as the simulator models it: its certificate is a keyed hash of the view and block, not a
 * threshold signature. Separate from the event loop because both sides use it, the replica that forms a
 * certificate and the pipeline that checks one, and neither needs the loop's state.
 */
final class SimDaCommittee {
    private SimDaCommittee() {
    }

    /** The DA certificate of {@code leaf}'s block as the committee would form it. */
    static Payload.DaCert certificate(Leaf leaf) {
        return new Payload.DaCert(leaf.view(), leaf.blockCommitment(), signature(leaf.view(), leaf.blockCommitment()));
    }

    /** The pipeline's certificate check in the simulator: the header's view and block (its payloadRoot) are signed. */
    static boolean valid(BlockHeader header, byte[] signature) {
        return Arrays.equals(signature(header.view(), header.payloadRoot()).bytes(), signature);
    }

    private static Bytes32 signature(View view, Bytes32 blockCommitment) {
        return Keccak.hash("sim/da-committee".getBytes(StandardCharsets.UTF_8), Abi.uint64Word(view.value()),
                blockCommitment.bytes());
    }
}
