package dev.cortado.settlement.batch.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.settlement.batch.bench.RealTxCorpus;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every real transaction of the corpus parses, and every codec round-trips each file exactly. */
class EthColumnsCorpusTest {

    @ParameterizedTest
    @ValueSource(strings = {"l1-mainnet", "op-mainnet", "base-mainnet", "unichain-mainnet"})
    void everyTransactionParsesAndReencodesExactly(String chain) {
        List<byte[]> txs = RealTxCorpus.load(chain);
        assertTrue(txs.size() > 1000, chain + " has " + txs.size() + " transactions");
        for (int i = 0; i < txs.size(); i++) {
            EthTx tx = EthTx.parse(txs.get(i));
            assertNotNull(tx, chain + " line " + (i + 1) + " does not parse");
            assertArrayEquals(txs.get(i), tx.encode(), chain + " line " + (i + 1) + " re-encodes differently");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"l1-mainnet", "op-mainnet", "base-mainnet", "unichain-mainnet"})
    void everyCodecRoundTripsTheWholeFile(String chain) {
        BatchContent batch = RealTxCorpus.asBatch(RealTxCorpus.load(chain), 10);
        for (CodecId codec : CodecId.values()) {
            byte[] frame = BatchFrame.encode(batch, codec, codec == CodecId.BROTLI ? 5 : 3);
            assertEquals(codec, BatchFrame.codecOf(frame));
            assertEquals(batch, BatchFrame.decode(frame, BatchFrame.MAX_PLAIN_BYTES), chain + " with " + codec);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"op-mainnet", "base-mainnet"})
    void columnsBeatPlainZstdAtTheSameLevel(String chain) {
        BatchContent batch = RealTxCorpus.asBatch(RealTxCorpus.load(chain), 10);
        int columns = BatchFrame.encode(batch, CodecId.ETH_COLUMNS, 3).length;
        int zstd = BatchFrame.encode(batch, CodecId.ZSTD, 3).length;
        assertTrue(columns < zstd, chain + ": columns " + columns + " bytes, zstd " + zstd);
    }
}
