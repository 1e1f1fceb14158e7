package dev.cortado.lightclient;

import dev.cortado.protocol.block.BlockCommitmentLog;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.BlockPayload;
import dev.cortado.protocol.cert.CertFixtures;
import dev.cortado.protocol.cert.LightClientCertificate;
import dev.cortado.protocol.cert.LightClientState;
import dev.cortado.protocol.cert.SignerBitmap;
import dev.cortado.protocol.cert.ThresholdKind;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.epoch.EpochRules;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeFixtures;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A real chain over three epochs of four blocks: epoch 0 is validators 0..3, validator 4 joins for epoch
 * 1, validator 0 leaves for epoch 2. Every state is signed by its own epoch's table (all members) and
 * names the table of the next update, so the last state of each epoch is its handover.
 */
final class EpochTestChain {
    static final long CHAIN_ID = 778;
    static final EpochSchedule SCHEDULE = new EpochSchedule(4, 2);
    static final List<BlsKeyPair> KEYS = StakeFixtures.keys(5);
    static final List<StakeTable> TABLES = List.of(table(0, 1, 2, 3), table(0, 1, 2, 3, 4), table(1, 2, 3, 4));

    final List<BlockPayload> payloads = new ArrayList<>();
    final List<BlockHeader> headers = new ArrayList<>();
    final BlockCommitmentLog log = new BlockCommitmentLog();
    final List<LightClientCertificate> certificates = new ArrayList<>();

    EpochTestChain() {
        Bytes32 parent = Bytes32.ZERO;
        int blocks = (int) SCHEDULE.lastHeight(2) + 1 - 2; // ends two blocks into epoch 2
        for (int h = 0; h < blocks; h++) {
            BlockPayload p = BlockPayload.build(TestChain.transactions(h, "epochs"));
            BlockHeader header = new BlockHeader(Height.of(h), View.of(2L * h + 1), parent, 1_700_000_000_000L + 1000L * h,
                    50 + h, p.payloadRoot(), Keccak.hash(("vid " + h).getBytes(StandardCharsets.UTF_8)), p.nsTableComm(),
                    p.byteLength(), log.blockCommRoot());
            log.append(header, CHAIN_ID);
            parent = header.commitment(CHAIN_ID);
            payloads.add(p);
            headers.add(header);
            int epoch = (int) SCHEDULE.epochOf(h);
            StakeTable next = TABLES.get(Math.min(epoch + 1, TABLES.size() - 1));
            LightClientState state = new LightClientState(header.view(), header.height(), log.blockCommRoot(h + 1L),
                    EpochRules.stateCommitment(SCHEDULE, h, TABLES.get(epoch), next));
            certificates.add(signBy(TABLES.get(epoch), state));
        }
    }

    static LightClientCertificate signBy(StakeTable signing, LightClientState state) {
        return new LightClientCertificate(state, signBy(signing, state, SignerBitmap.full(signing.size())).cert());
    }

    static LightClientCertificate signBy(StakeTable signing, LightClientState state, SignerBitmap signers) {
        List<BlsKeyPair> keys = new ArrayList<>();
        for (StakeEntry e : signing.entries()) {
            keys.add(KEYS.stream().filter(k -> k.publicKey().equals(e.key())).findFirst().orElseThrow());
        }
        return new LightClientCertificate(state, CertFixtures.sign(keys, ThresholdKind.QUORUM, state.digest(CHAIN_ID),
                signers));
    }

    int latestHeight() {
        return headers.size() - 1;
    }

    private static StakeTable table(int... idx) {
        List<StakeEntry> entries = new ArrayList<>();
        for (int i : idx) entries.add(new StakeEntry(KEYS.get(i).publicKey(), StakeFixtures.stakeGwei(i), i % 2 == 0));
        return StakeTable.of(entries);
    }
}
