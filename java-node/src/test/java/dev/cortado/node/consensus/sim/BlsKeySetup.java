package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.BlsConsensusCrypto;
import dev.cortado.node.consensus.ConsensusCrypto;
import dev.cortado.node.consensus.ConsensusSigner;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Real BLS keys (from seeded 32-byte seeds) and a stake table of equal stake, for the BLS sweep. */
final class BlsKeySetup implements KeySetup {
    private final List<BlsKeyPair> keys = new ArrayList<>();
    private final BlsConsensusCrypto crypto;

    BlsKeySetup(int n, long seed) {
        Random random = new Random(seed ^ 0xB15L);
        List<StakeEntry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] ikm = new byte[32];
            random.nextBytes(ikm);
            BlsKeyPair pair = BlsKeyPair.fromSeed(ikm);
            keys.add(pair);
            entries.add(new StakeEntry(pair.publicKey(), 32_000_000_000L, i % 2 == 0));
        }
        crypto = new BlsConsensusCrypto(StakeTable.of(entries));
    }

    @Override
    public ConsensusCrypto crypto() {
        return crypto;
    }

    @Override
    public ConsensusSigner signerFor(int index) {
        return BlsConsensusCrypto.signer(index, keys.get(index).secretKey());
    }
}
