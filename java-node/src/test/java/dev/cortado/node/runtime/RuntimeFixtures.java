package dev.cortado.node.runtime;

import dev.cortado.node.consensus.BlsConsensusCrypto;
import dev.cortado.node.consensus.CertificateValidator;
import dev.cortado.node.consensus.LeaderSchedule;
import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.consensus.StakeWeights;
import dev.cortado.node.mempool.PendingTx;
import dev.cortado.node.testing.TestKeys;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A four-node stake table (nodes 0..2 on the DA committee) and real, leader-signed proposals over it. */
final class RuntimeFixtures {
    static final long CHAIN_ID = 4242;
    static final int N = 4;
    final StakeTable table;
    final StakeWeights stakes;
    final BlsConsensusCrypto crypto;
    final LeaderSchedule schedule;
    final CertificateValidator certificates;

    RuntimeFixtures() {
        List<StakeEntry> entries = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            entries.add(new StakeEntry(TestKeys.keyPair(i).publicKey(), 1, i < 3));
        }
        table = StakeTable.of(entries);
        stakes = BlsConsensusCrypto.stakeWeights(table);
        crypto = new BlsConsensusCrypto(table);
        schedule = new LeaderSchedule(stakes);
        certificates = new CertificateValidator(CHAIN_ID, stakes, crypto);
    }

    int leader(long view) {
        return schedule.leader(View.of(view));
    }

    /** A block at height 1 over genesis, proposed in {@code view}, carrying {@code txCount} transactions. */
    Blocks.Block block(long view, int txCount) {
        List<PendingTx> txs = new ArrayList<>();
        for (int i = 0; i < txCount; i++) {
            txs.add(PendingTx.of(1 + i % 3, ("v" + view + "-tx" + i).getBytes()));
        }
        return new Blocks(CHAIN_ID, N, 0).build(1, view, dev.cortado.protocol.types.Bytes32.ZERO, 1_000 + view,
                dev.cortado.protocol.types.Bytes32.ZERO, txs);
    }

    Leaf leafFor(Blocks.Block b) {
        return new Leaf(CHAIN_ID, b.header().view(), b.header().height(), Leaf.genesis(CHAIN_ID).commitment(), b.commitment(),
                View.ZERO);
    }

    /** The proposal of {@code leaf}, signed by {@code signer} (the view's leader when honest). */
    Proposal proposal(Leaf leaf, int signer) {
        return new Proposal(leaf, QuorumCertificate.genesis(CHAIN_ID), Optional.empty(), signer,
                BlsConsensusCrypto.signer(signer, TestKeys.keyPair(signer).secretKey())
                        .sign(certificates.quorumDigest(leaf.view(), leaf.commitment())));
    }

    Proposal proposal(Blocks.Block b) {
        return proposal(leafFor(b), leader(b.header().view().value()));
    }

    static Leaf leaf(long view, long height, dev.cortado.protocol.types.Bytes32 block) {
        return new Leaf(CHAIN_ID, View.of(view), new Height(height), Leaf.genesis(CHAIN_ID).commitment(), block, View.ZERO);
    }
}
