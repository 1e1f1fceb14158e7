package dev.cortado.settlement.lightclient;

import dev.cortado.lightclient.api.LightClientAnswer;
import dev.cortado.protocol.block.BlockCommitmentLog;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.BlockPayload;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.cert.CertFixtures;
import dev.cortado.protocol.cert.LightClientCertificate;
import dev.cortado.protocol.cert.LightClientState;
import dev.cortado.protocol.cert.SignerBitmap;
import dev.cortado.protocol.cert.ThresholdKind;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Real headers linked by parent and blockCommRoot, and light-client answers over them signed by any signers. */
public final class CertifiedChain {
    public final long chainId;
    public final StakeTable table;
    public final List<BlsKeyPair> keys;
    public final List<BlockHeader> headers = new ArrayList<>();
    public final BlockCommitmentLog log = new BlockCommitmentLog();

    public CertifiedChain(long chainId, List<BlsKeyPair> keys, StakeTable table, int blocks) {
        this.chainId = chainId;
        this.keys = keys;
        this.table = table;
        Bytes32 parent = Bytes32.ZERO;
        for (int h = 0; h < blocks; h++) {
            BlockPayload p = BlockPayload.build(h == 0 ? List.of()
                    : List.of(new Transaction(NamespaceId.of(10), ("tx " + h).getBytes(StandardCharsets.UTF_8))));
            BlockHeader header = new BlockHeader(Height.of(h), View.of(3L * h + 1), parent, 1_700_000_000_000L + h, 7 + h,
                    p.payloadRoot(), Keccak.hash(("vid" + h).getBytes(StandardCharsets.UTF_8)), p.nsTableComm(),
                    p.byteLength(), log.blockCommRoot());
            log.append(header, chainId);
            parent = header.commitment(chainId);
            headers.add(header);
        }
    }

    public LightClientState state(int h) {
        BlockHeader header = headers.get(h);
        return new LightClientState(header.view(), header.height(), log.blockCommRoot(h + 1L), table.commitment());
    }

    /** The answer a node serves for height {@code h}, signed by every member except {@code absent}. */
    public LightClientAnswer answer(int h, int... absent) {
        SignerBitmap bitmap = SignerBitmap.full(table.size());
        for (int i : absent) {
            bitmap = bitmap.without(i);
        }
        return answerSignedBy(h, bitmap, keys);
    }

    /** An answer whose signature comes from {@code signingKeys} (another table's keys forge it). */
    public LightClientAnswer answerSignedBy(int h, SignerBitmap signers, List<BlsKeyPair> signingKeys) {
        LightClientState state = state(h);
        var cert = CertFixtures.sign(signingKeys, ThresholdKind.QUORUM, state.digest(chainId), signers);
        return LightClientAnswer.of(new LightClientCertificate(state, cert), chainId, table, headers.get(h),
                log.proof(h, h + 1L));
    }
}
