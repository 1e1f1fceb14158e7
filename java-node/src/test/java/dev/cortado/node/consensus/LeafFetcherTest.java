package dev.cortado.node.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Fetching missing leaves: only wanted ones are taken, ancestors chain on, retries rotate through peers. */
class LeafFetcherTest {
    private final CoreHarness h = new CoreHarness(4);
    private final Leaf a = h.leaf(1, h.genesis, h.genesisQc, "a");
    private final QuorumCertificate qcA = h.qc(a, 0, 1, 2);
    private final Leaf b = h.leaf(2, a, qcA, "b");
    private final QuorumCertificate qcB = h.qc(b, 0, 1, 2);
    private final Leaf c = h.leaf(3, b, qcB, "c");

    @Test
    void wantedChainConnectsToTheAnchor() {
        LeafFetcher fetcher = new LeafFetcher(0, 4, 8);
        LeafStore store = new LeafStore(h.genesis, 8);
        assertEquals(new Effect.FetchLeaves(2, c.commitment()), fetcher.want(c.commitment(), 2));
        assertNull(fetcher.want(c.commitment(), 2), "the same peer is not asked twice");

        LeafFetcher.Outcome outcome = fetcher.accept(2, List.of(c, b, a), store);
        assertEquals(3, outcome.taken());
        assertEquals(List.of(a.commitment()), outcome.stored(), "a connects; b and c wait as orphans");
        assertEquals(List.of(), outcome.requests());
        assertEquals(List.of(java.util.Map.entry(b.commitment(), b)), store.takeOrphanChildren(a.commitment()));
    }

    @Test
    void missingAncestorsAreAskedOfTheSamePeerAndUnwantedLeavesIgnored() {
        LeafFetcher fetcher = new LeafFetcher(0, 4, 8);
        LeafStore store = new LeafStore(h.genesis, 8);
        fetcher.want(c.commitment(), 3);
        Leaf stranger = h.leaf(1, h.genesis, h.genesisQc, "stranger");
        LeafFetcher.Outcome outcome = fetcher.accept(3, List.of(c, stranger), store);
        assertEquals(1, outcome.taken());
        assertEquals(List.of(new Effect.FetchLeaves(3, b.commitment())), outcome.requests());
        assertEquals(null, store.get(stranger.commitment()));
    }

    @Test
    void retriesRotateThroughPeersAndSkipSelf() {
        LeafFetcher fetcher = new LeafFetcher(0, 4, 8);
        fetcher.want(c.commitment(), 2);
        assertEquals(List.of(new Effect.FetchLeaves(3, c.commitment())), fetcher.retryAll());
        assertEquals(List.of(new Effect.FetchLeaves(1, c.commitment())), fetcher.retryAll(), "wraps past itself");
        fetcher.received(c.commitment());
        assertEquals(List.of(), fetcher.retryAll());
    }

    @Test
    void boundedNumberOfWantedLeaves() {
        LeafFetcher fetcher = new LeafFetcher(0, 4, 1);
        fetcher.want(a.commitment(), 1);
        assertNull(fetcher.want(b.commitment(), 1));
    }
}
