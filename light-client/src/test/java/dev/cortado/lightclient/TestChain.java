package dev.cortado.lightclient;

import dev.cortado.protocol.block.BlockCommitmentLog;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.BlockPayload;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.cert.AggregateCertificate;
import dev.cortado.protocol.cert.LightClientCertificate;
import dev.cortado.protocol.cert.LightClientState;
import dev.cortado.protocol.cert.SignatureAccumulator;
import dev.cortado.protocol.cert.SignerBitmap;
import dev.cortado.protocol.cert.ThresholdKind;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.stake.StakeFixtures;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A real chain for tests: payloads in two namespaces, headers linked by parent and blockCommRoot, and a
 * light-client certificate per height signed by validators 1, 2 and 3 of a four-validator table
 * (stakes 1, 2, 3, 4 units: 9 of 10 sign). {@code forkFrom} makes a chain that agrees below that height.
 */
final class TestChain {
    static final long CHAIN_ID = 777;
    static final NamespaceId NS_A = NamespaceId.of(10);
    static final NamespaceId NS_B = NamespaceId.of(20);
    static final List<BlsKeyPair> KEYS = StakeFixtures.keys(4);
    static final StakeTable TABLE = StakeFixtures.table(KEYS);

    final List<BlockPayload> payloads = new ArrayList<>();
    final List<BlockHeader> headers = new ArrayList<>();
    final BlockCommitmentLog log = new BlockCommitmentLog();
    final List<LightClientCertificate> certificates = new ArrayList<>();

    TestChain(int blocks, int forkFrom, String forkTag) {
        Bytes32 parent = Bytes32.ZERO;
        for (int h = 0; h < blocks; h++) {
            String tag = h >= forkFrom ? forkTag : "main";
            BlockPayload p = BlockPayload.build(transactions(h, tag));
            BlockHeader header = new BlockHeader(Height.of(h), View.of(2L * h + 1), parent, 1_700_000_000_000L + 1000L * h,
                    50 + h, p.payloadRoot(), Keccak.hash(("vid " + tag + h).getBytes(StandardCharsets.UTF_8)), p.nsTableComm(),
                    p.byteLength(), log.blockCommRoot());
            log.append(header, CHAIN_ID);
            parent = header.commitment(CHAIN_ID);
            payloads.add(p);
            headers.add(header);
            LightClientState state = new LightClientState(header.view(), header.height(), log.blockCommRoot(h + 1L),
                    TABLE.commitment());
            certificates.add(new LightClientCertificate(state, sign(state, 1, 2, 3)));
        }
    }

    static List<Transaction> transactions(int h, String tag) {
        List<Transaction> txs = new ArrayList<>();
        if (h == 0) {
            return txs; // genesis is empty
        }
        for (int i = 0; i < 1 + h % 3; i++) {
            txs.add(new Transaction(NS_A, (tag + " a" + h + "." + i).getBytes(StandardCharsets.UTF_8)));
        }
        if (h % 2 == 0) {
            txs.add(new Transaction(NS_B, (tag + " b" + h).getBytes(StandardCharsets.UTF_8)));
        }
        return txs;
    }

    static AggregateCertificate sign(LightClientState state, int... signers) {
        SignatureAccumulator acc = new SignatureAccumulator(TABLE, ThresholdKind.QUORUM, state.digest(CHAIN_ID));
        for (int i : signers) {
            acc.add(i, Bls.sign(KEYS.get(i).secretKey(), state.digest(CHAIN_ID)));
        }
        return acc.certificate().orElseThrow();
    }

    /** A certificate by {@code signers} even when they hold too little stake (a lying node's). */
    static AggregateCertificate signWithoutThreshold(LightClientState state, int... signers) {
        SignerBitmap bitmap = SignerBitmap.of(TABLE.size(), signers);
        List<dev.cortado.protocol.crypto.BlsSignature> sigs = new ArrayList<>();
        for (int i : signers) {
            sigs.add(Bls.sign(KEYS.get(i).secretKey(), state.digest(CHAIN_ID)));
        }
        return new AggregateCertificate(ThresholdKind.QUORUM, state.digest(CHAIN_ID), bitmap, Bls.aggregate(sigs));
    }

    int latestHeight() {
        return headers.size() - 1;
    }
}
