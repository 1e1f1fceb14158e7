package dev.cortado.settlement.batch.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Random batches of random transactions round-trip exactly through every codec. */
class BatchCodecPropertyTest {

    static BatchContent randomBatch(TxGen gen, boolean allowJunk) {
        long first = gen.nextInt(1000);
        long last = first + gen.nextInt(20);
        List<BatchContent.Block> blocks = new ArrayList<>();
        for (long h = first; h <= last; h++) {
            if (gen.nextInt(3) == 0) {
                continue;
            }
            List<BatchContent.Namespace> nss = new ArrayList<>();
            long ns = gen.nextInt(5);
            for (int n = gen.nextInt(3); n >= 0; n--) {
                List<byte[]> txs = new ArrayList<>();
                for (int t = gen.nextInt(8); t >= 0; t--) {
                    txs.add(gen.txOrNot(allowJunk));
                }
                nss.add(new BatchContent.Namespace(ns, txs));
                ns += 1 + gen.nextInt(1000);
            }
            blocks.add(new BatchContent.Block(h, gen.bytes(gen.nextInt(50)), nss));
        }
        return new BatchContent(first, last, blocks);
    }

    @Property(tries = 300)
    void everyCodecRoundTripsRandomBatches(@ForAll long seed) {
        BatchContent batch = randomBatch(new TxGen(seed), seed % 2 == 0);
        assertEquals(batch.toPlain().length, batch.plainLength(), "plain length without building it, seed " + seed);
        for (CodecId codec : CodecId.values()) {
            byte[] frame = BatchFrame.encode(batch, codec, 3);
            assertEquals(batch, BatchFrame.decode(frame, BatchFrame.MAX_PLAIN_BYTES), codec + " seed " + seed);
        }
    }

    @Property(tries = 300)
    void generatedTransactionsParseBackToTheirFields(@ForAll long seed) {
        EthTx tx = new TxGen(seed).tx();
        byte[] raw = tx.encode();
        EthTx parsed = EthTx.parse(raw);
        assertEquals(java.util.HexFormat.of().formatHex(raw), java.util.HexFormat.of().formatHex(parsed.encode()));
        assertEquals(tx.type(), parsed.type());
    }
}
