package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.Epochs;
import dev.cortado.node.consensus.Leaf;
import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Bytes32;
import java.util.Random;

/**
 * What a {@link Behaviour#BAD_HANDOVER} leader proposes instead of its honest leaf: at the last height of an epoch,
 * the same block naming a table the source never gave, or no table at all; inside an epoch, one time in four, a
 * table where none belongs; on a suffix leaf (after the epoch's last height, before its handover is decided), one
 * time in two, a block that would be lost. Signed with its own key, so only the handover and suffix rules can
 * refuse it.
 */
final class HandoverForger {
    private HandoverForger() {
    }

    static Leaf forge(Leaf honest, Epochs epochs, long epoch, Random random) {
        Bytes32 next;
        if (epochs.isSuffix(epoch, honest.height())) {
            if (random.nextBoolean()) {
                return honest;
            }
            return new Leaf(honest.chainId(), honest.view(), honest.height(), honest.parentCommitment(),
                    forgedTable(random), honest.justifyView());
        }
        if (epochs.isHandover(honest.height())) {
            next = random.nextBoolean() ? Bytes32.ZERO : forgedTable(random);
        } else if (random.nextInt(4) == 0) {
            next = forgedTable(random);
        } else {
            return honest;
        }
        return new Leaf(honest.chainId(), honest.view(), honest.height(), honest.parentCommitment(),
                honest.blockCommitment(), honest.justifyView(), next);
    }

    private static Bytes32 forgedTable(Random random) {
        return Keccak.hash("sim/forged-stake-table".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Abi.uint64Word(random.nextLong() & Long.MAX_VALUE));
    }
}
