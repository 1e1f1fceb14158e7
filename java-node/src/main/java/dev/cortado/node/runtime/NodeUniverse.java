package dev.cortado.node.runtime;

import dev.cortado.node.config.PeerEntry;
import dev.cortado.node.consensus.StakeWeights;
import dev.cortado.node.net.PeerKey;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The configured peers as the node indexes them. Every {@code [[peers]]} entry is in the universe (index i is
 * the i-th entry: it connects, receives and votes once an epoch gives it stake); the genesis protocol table holds
 * the staked ones only. A peer without stake (a validator not yet registered on L1) must come after every staked
 * peer, so a staked peer's universe index is also its position in the genesis table. Such a peer may be
 * configured with {@code da = true}: it serves on the DA committee of every epoch whose table gives it stake and
 * marks it DA (StakeTable.sol's {@code isDa}, which the flag must match: {@link DaCommittees}).
 *
 * @param peerKeys every peer's key, by universe index
 * @param keys the same as BLS keys
 * @param committee the peers configured with {@code da}, staked or not (each epoch's committee is those of them the
 *        epoch's table gives stake and marks DA, {@link DaCommittees}); the genesis table marks the staked ones
 *        among these
 * @param genesis the protocol table of epoch 0
 * @param weights epoch 0's consensus weights over the universe (zero for an unstaked peer)
 */
record NodeUniverse(List<PeerKey> peerKeys, List<BlsPublicKey> keys, Set<PeerKey> committee, StakeTable genesis,
                    StakeWeights weights) {

    /** @throws IllegalArgumentException for an unstaked peer before a staked one, or no stake at all */
    static NodeUniverse of(List<PeerEntry> peers) {
        List<PeerKey> peerKeys = new ArrayList<>();
        List<BlsPublicKey> keys = new ArrayList<>();
        List<StakeEntry> staked = new ArrayList<>();
        Set<PeerKey> committee = new HashSet<>();
        long[] stakeGwei = new long[peers.size()];
        for (int i = 0; i < peers.size(); i++) {
            PeerEntry e = peers.get(i);
            peerKeys.add(e.publicKey());
            BlsPublicKey key = BlsPublicKey.fromBytes(e.publicKey().bytes());
            keys.add(key);
            stakeGwei[i] = e.stakeGwei();
            if (e.da()) {
                committee.add(e.publicKey());
            }
            if (e.stakeGwei() == 0) {
                continue;
            }
            if (staked.size() != i) {
                throw new IllegalArgumentException("peer " + i + " has stake but follows a peer without stake: peers"
                        + " without stake must come last");
            }
            staked.add(new StakeEntry(key, e.stakeGwei(), e.da()));
        }
        if (staked.isEmpty()) {
            throw new IllegalArgumentException("no peer has stake: the genesis table cannot be empty");
        }
        StakeWeights weights = staked.size() == peers.size() ? new StakeWeights(stakeGwei) : StakeWeights.ofEpoch(stakeGwei);
        return new NodeUniverse(List.copyOf(peerKeys), List.copyOf(keys), Set.copyOf(committee), StakeTable.of(staked),
                weights);
    }

    int size() {
        return peerKeys.size();
    }

    /** Whether some peer has no stake at genesis (only a network with epochs can give it any). */
    boolean hasUnstaked() {
        return genesis.size() < size();
    }
}
