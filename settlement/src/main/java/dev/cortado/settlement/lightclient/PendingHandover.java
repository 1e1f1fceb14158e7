package dev.cortado.settlement.lightclient;

import dev.cortado.lightclient.LightClientVerificationException;
import dev.cortado.lightclient.NodeFollower;
import dev.cortado.lightclient.NodeUnavailableException;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.types.Bytes32;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rotation LightClient.sol needs next. The contract verifies each update with the table it stores, so
 * once the network's newest states are signed by a later epoch's table the poster must first post the
 * handover: the state of the last block of the epoch whose table L1 holds, which that table signed and
 * which names the next one. The epoch L1 is in follows from its finalized height: a state inside epoch
 * e names e's table, the last state of e names e + 1's.
 */
final class PendingHandover {
    private static final Logger LOG = LoggerFactory.getLogger(PendingHandover.class);

    private PendingHandover() {
    }

    /** The height whose state hands over from the table L1 holds, given L1's finalized height. */
    static long handoverHeight(EpochSchedule schedule, long finalizedHeight) {
        long epoch = schedule.epochOf(finalizedHeight);
        if (schedule.isLastOfEpoch(finalizedHeight)) epoch += 1;
        return schedule.lastHeight(epoch);
    }

    /**
     * The first node's answer for the handover height that verifies against the stored table (so L1
     * accepts it); empty when no node has it yet. Lies are logged, never posted.
     */
    static Optional<LightClientCalldata> find(EpochSchedule schedule, long finalizedHeight, List<NodeFollower> nodes,
            long hotShotChainId, StakeTableTrust trust, Bytes32 contractTable) {
        long height = handoverHeight(schedule, finalizedHeight);
        for (NodeFollower node : nodes) {
            try {
                LightClientCalldata c = LightClientCalldata.fromAnswer(node.lightClient(height), hotShotChainId, trust,
                        contractTable);
                if (c.height() != height) {
                    LOG.warn("node {}: asked for the handover state of height {}, got height {}", node.base(), height,
                            c.height());
                    continue;
                }
                return Optional.of(c);
            } catch (LightClientVerificationException | NodeUnavailableException e) {
                LOG.warn("node {}: handover of height {}: {}", node.base(), height, e.getMessage());
            }
        }
        return Optional.empty();
    }
}
