package dev.cortado.devnet.settlement;

import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.tm;

import dev.cortado.contracts.generated.BatchInbox;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.settlement.batch.BlockCollector;
import dev.cortado.settlement.batch.BlockWitness;
import dev.cortado.settlement.batch.codec.BatchContent;
import dev.cortado.settlement.batch.codec.BatchFrame;
import dev.cortado.settlement.batch.codec.CodecId;
import dev.cortado.lightclient.NodeFollower;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Credentials;

/** A dishonest poster: a genuine batch of heights 0..3 with one byte flipped, recorded by the inbox. */
final class BatchTamper {
    enum Kind { FLIPPED_TRANSACTION_BYTE, FLIPPED_HEADER_BYTE, FLIPPED_FRAME_BYTE }

    private BatchTamper() {}

    static void postForged(L1Devnet l1, String inbox, Credentials who, BatchChainNode node, String lightClient, Kind kind)
            throws Exception {
        int anchor = 3;
        BlockCollector collector = new BlockCollector(List.of(new NodeFollower(node.uri())), node.chainId,
                BlockWitness.ALL_NAMESPACES);
        List<BatchContent.Block> blocks = new ArrayList<>();
        for (int h = 0; h <= anchor; h++) {
            blocks.add(collector.collect(h, anchor, node.log.blockCommRoot(anchor + 1L)));
        }
        BatchContent.Block b1 = blocks.get(1);
        if (kind == Kind.FLIPPED_TRANSACTION_BYTE) {
            List<BatchContent.Namespace> nss = new ArrayList<>(b1.namespaces());
            List<byte[]> txs = new ArrayList<>(nss.get(0).transactions());
            byte[] t = txs.get(0).clone();
            t[t.length / 2] ^= 0x01;
            txs.set(0, t);
            nss.set(0, new BatchContent.Namespace(nss.get(0).id(), txs));
            blocks.set(1, new BatchContent.Block(1, b1.witness(), nss));
        } else if (kind == Kind.FLIPPED_HEADER_BYTE) {
            byte[] w = b1.witness().clone();
            w[16 + 1 + 8 + 8 + 3] ^= 0x01; // a byte of the header's parent hash
            blocks.set(1, new BatchContent.Block(1, w, b1.namespaces()));
        }
        byte[] frame = BatchFrame.encode(new BatchContent(0, anchor, blocks), CodecId.ETH_COLUMNS, 9);
        if (kind == Kind.FLIPPED_FRAME_BYTE) {
            frame[frame.length / 2] ^= 0x01;
        }
        BatchInbox.load(inbox, l1.web3j(), tm(l1, who), GAS).postCalldataBatch(BigInteger.ZERO, BigInteger.valueOf(anchor),
                BigInteger.valueOf(CodecId.ETH_COLUMNS.id()), frame).send();
    }
}
