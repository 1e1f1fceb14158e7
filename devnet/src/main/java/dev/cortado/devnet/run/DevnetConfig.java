package dev.cortado.devnet.run;

import dev.cortado.devnet.l1.L1Kind;
import java.nio.file.Path;

/**
 * What {@code cortado devnet} starts.
 *
 * @param l1 which L1 node to run
 * @param secondsPerSlot the slot length; the L1 seals one block per slot
 * @param outDir where deployment.json and node data go
 * @param nodes how many validators (nodes) the network has
 * @param daCommittee how many of them form the DA committee
 * @param hotShotChainId the HotShot network's chain id, which every signed digest carries
 */
public record DevnetConfig(L1Kind l1, int secondsPerSlot, Path outDir, int nodes, int daCommittee, long hotShotChainId) {
    /** The L1 has ten funded accounts: the deployer plus one registrant per validator. */
    public static final int MAX_NODES = 9;

    public DevnetConfig {
        if (secondsPerSlot < 1 || secondsPerSlot > 60) {
            throw new IllegalArgumentException("--seconds-per-slot must be 1..60, got " + secondsPerSlot);
        }
        if (nodes < 1 || nodes > MAX_NODES) {
            throw new IllegalArgumentException("--nodes must be 1.." + MAX_NODES + ", got " + nodes);
        }
        if (daCommittee < 1 || daCommittee > nodes) {
            throw new IllegalArgumentException("--da-committee must be 1.." + nodes + ", got " + daCommittee);
        }
        if (hotShotChainId < 1) {
            throw new IllegalArgumentException("the HotShot chain id must be positive, got " + hotShotChainId);
        }
    }

    public static DevnetConfig defaults(L1Kind l1, int secondsPerSlot, Path outDir) {
        return new DevnetConfig(l1, secondsPerSlot, outDir, 4, 3, 0xC0A7AD0L);
    }
}
