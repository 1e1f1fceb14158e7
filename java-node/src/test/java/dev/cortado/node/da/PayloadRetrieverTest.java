package dev.cortado.node.da;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.da.vid.InconsistentDisperser;
import dev.cortado.node.da.vid.Vid;
import dev.cortado.node.da.vid.VidDispersal;
import dev.cortado.node.da.vid.VidShare;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.BlockPayload;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PayloadRetrieverTest {
    private static final int N = 7; // f = 2, k = 3
    private final BlockPayload payload = DaFixtures.payload(5, 60);
    private final Vid vid = new Vid(N);
    private final VidDispersal dispersal = vid.disperse(payload.bytes());
    private final BlockHeader header = DaFixtures.header(payload, dispersal.commitment().vidRoot());
    private final Map<Integer, StoredShare> stores = new HashMap<>();
    private final List<Integer> everyone = IntStream.range(0, N).boxed().toList();

    PayloadRetrieverTest() {
        for (int i = 0; i < N; i++) {
            stores.put(i, new StoredShare(dispersal.commitment(), dispersal.share(i)));
        }
    }

    private PayloadRetriever.Result retrieve(PayloadRetriever.ShareFetcher fetcher) {
        return new PayloadRetriever(N, fetcher).retrieve(header, payload.nsTableBytes(), everyone);
    }

    @Test
    void rebuildsThePayloadFromAnyKHonestNodes() {
        var r = assertInstanceOf(PayloadRetriever.Result.Recovered.class,
                retrieve((node, h) -> Optional.ofNullable(stores.get(node))));
        assertEquals(payload.payloadRoot(), r.payload().payloadRoot());
        assertEquals(payload.allTransactions(), r.payload().allTransactions());
        assertEquals(List.of(0, 1, 2), r.sharesUsed());
    }

    @Test
    void skipsSilentFailingAndLyingNodes() {
        VidDispersal otherBlock = vid.disperse(DaFixtures.payload(6, 60).bytes());
        VidShare s1 = dispersal.share(1);
        byte[] tampered = s1.data();
        tampered[3] ^= 1;
        PayloadRetriever.ShareFetcher fetcher = (node, h) -> switch (node) {
            case 0 -> Optional.empty();
            case 1 -> Optional.of(new StoredShare(dispersal.commitment(), new VidShare(1, tampered, s1.proof())));
            case 2 -> throw new IOException("connection refused");
            case 3 -> Optional.of(new StoredShare(otherBlock.commitment(), otherBlock.share(3)));
            case 4 -> Optional.of(stores.get(5)); // someone else's share
            default -> Optional.of(stores.get(node));
        };
        var r = assertInstanceOf(PayloadRetriever.Result.Unavailable.class, retrieve(fetcher));
        assertEquals(2, r.validShares());
        assertEquals(3, r.needed());
        assertEquals(5, r.problems().size(), r.problems().toString());

        PayloadRetriever.ShareFetcher enough = (node, h) -> node == 4 ? Optional.of(stores.get(4)) : fetcher.fetch(node, h);
        var ok = assertInstanceOf(PayloadRetriever.Result.Recovered.class, retrieve(enough));
        assertEquals(List.of(4, 5, 6), ok.sharesUsed());
        assertEquals(payload.payloadRoot(), ok.payload().payloadRoot());
    }

    @Test
    void reportsAnInconsistentDispersalWithEvidence() {
        VidDispersal bad = InconsistentDisperser.disperse(vid, payload.bytes(), 1);
        BlockHeader badHeader = DaFixtures.header(payload, bad.commitment().vidRoot());
        var r = new PayloadRetriever(N, (node, h) -> Optional.of(new StoredShare(bad.commitment(), bad.share(node))))
                .retrieve(badHeader, payload.nsTableBytes(), List.of(0, 2, 3, 4));
        var evidence = assertInstanceOf(PayloadRetriever.Result.Inconsistent.class, r).evidence();
        assertEquals(List.of(1), evidence.mismatchingShareIndexes()); // share 0's level-0 sibling
        assertEquals(badHeader.vidRoot(), evidence.vidRoot());
    }

    @Test
    void refusesATableOrPayloadThatDoesNotMatchTheHeader() {
        var r = new PayloadRetriever(N, (node, h) -> Optional.of(stores.get(node)))
                .retrieve(header, BlockPayload.EMPTY.nsTableBytes(), everyone);
        assertTrue(assertInstanceOf(PayloadRetriever.Result.PayloadMismatch.class, r).reason().contains("nsTableComm"));

        BlockPayload other = DaFixtures.payload(7, 60);
        BlockHeader lying = new BlockHeader(header.height(), header.view(), header.parent(), header.timestampMs(),
                header.l1Head(), other.payloadRoot(), header.vidRoot(), header.nsTableComm(), header.payloadBytes(),
                header.blockCommRoot());
        var m = new PayloadRetriever(N, (node, h) -> Optional.of(stores.get(node)))
                .retrieve(lying, payload.nsTableBytes(), everyone);
        assertTrue(assertInstanceOf(PayloadRetriever.Result.PayloadMismatch.class, m).reason().contains("payloadRoot"));
    }

    @Test
    void rebuildsAnEmptyBlock() {
        BlockPayload empty = BlockPayload.EMPTY;
        VidDispersal d = vid.disperse(empty.bytes());
        BlockHeader h = DaFixtures.header(empty, d.commitment().vidRoot());
        var r = new PayloadRetriever(N, (node, hd) -> Optional.of(new StoredShare(d.commitment(), d.share(node))))
                .retrieve(h, empty.nsTableBytes(), List.of(6, 5, 4));
        var rec = assertInstanceOf(PayloadRetriever.Result.Recovered.class, r);
        assertEquals(0, rec.payload().byteLength());
        assertEquals(List.of(4, 5, 6), rec.sharesUsed().stream().sorted().toList());
    }

    @Test
    void shareValidatorChecksHeaderCountPositionAndProof() {
        ShareValidator v = new ShareValidator();
        assertTrue(v.isValid(header, N, 3, stores.get(3)));
        assertEquals("share is at position 3, its holder holds position 4 of " + N,
                v.problem(header, N, 4, stores.get(3)).orElseThrow());
        assertEquals("share is encoded for " + N + " shares, the block's epoch has " + (N - 1),
                v.problem(header, N - 1, 3, stores.get(3)).orElseThrow());
        BlockHeader other = DaFixtures.header(DaFixtures.payload(8, 3), N);
        assertTrue(v.problem(other, N, 3, stores.get(3)).orElseThrow().contains("vidRoot"));
    }
}
