package dev.cortado.node.da;

import dev.cortado.node.da.vid.InconsistentDispersal;
import dev.cortado.node.da.vid.InconsistentDispersalException;
import dev.cortado.node.da.vid.VidShare;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.BlockPayload;
import dev.cortado.protocol.codec.Keccak;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rebuilds a block's payload from VID shares when no DA committee member serves it. Asks the nodes
 * one by one (share i lives on node i), keeps only shares that verify against the header, and
 * recovers as soon as it holds k. The network is behind {@link ShareFetcher}; the retriever itself
 * does no I/O and asks each node at most once.
 */
public final class PayloadRetriever {
    /** Fetches node {@code nodeIndex}'s share for the block at {@code header}; empty if it has none. */
    @FunctionalInterface
    public interface ShareFetcher {
        Optional<StoredShare> fetch(int nodeIndex, BlockHeader header) throws Exception;
    }

    /** The outcome of one retrieval. */
    public sealed interface Result {
        record Recovered(BlockPayload payload, List<Integer> sharesUsed) implements Result {
        }

        /** The committed shares are not one codeword: the disperser (the leader) misbehaved. */
        record Inconsistent(InconsistentDispersal evidence) implements Result {
        }

        /** The recovered bytes do not parse under the header's namespace table or give another payloadRoot. */
        record PayloadMismatch(String reason) implements Result {
        }

        /** Fewer than k valid shares could be had; {@code problems} says what each refused node did. */
        record Unavailable(int validShares, int needed, List<String> problems) implements Result {
        }
    }

    private final ShareValidator validator;
    private final ShareFetcher fetcher;

    public PayloadRetriever(int shareCount, ShareFetcher fetcher) {
        this.validator = new ShareValidator(shareCount);
        this.fetcher = fetcher;
    }

    /**
     * @param nsTable the block's namespace table (carried with the proposal; checked against the header)
     * @param askOrder node indexes in the order to ask, e.g. starting after oneself, each at most once
     */
    public Result retrieve(BlockHeader header, byte[] nsTable, List<Integer> askOrder) {
        if (!Keccak.hash(nsTable).equals(header.nsTableComm())) {
            return new Result.PayloadMismatch("namespace table does not match the header's nsTableComm");
        }
        int n = validator.vid().shareCount();
        int k = validator.vid().dataShareCount();
        List<StoredShare> valid = new ArrayList<>(k);
        List<String> problems = new ArrayList<>();
        boolean[] asked = new boolean[n];
        for (int node : askOrder) {
            if (valid.size() == k) {
                break;
            }
            if (node < 0 || node >= n || asked[node]) {
                continue;
            }
            asked[node] = true;
            Optional<StoredShare> got;
            try {
                got = fetcher.fetch(node, header);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problems.add("node " + node + ": interrupted");
                break;
            } catch (Exception e) {
                problems.add("node " + node + ": " + e);
                continue;
            }
            if (got.isEmpty()) {
                problems.add("node " + node + ": has no share");
                continue;
            }
            Optional<String> problem = validator.problem(header, node, got.get());
            if (problem.isPresent()) {
                problems.add("node " + node + ": " + problem.get());
                continue;
            }
            valid.add(got.get());
        }
        if (valid.size() < k) {
            return new Result.Unavailable(valid.size(), k, problems);
        }
        List<VidShare> shares = valid.stream().map(StoredShare::share).toList();
        byte[] bytes;
        try {
            bytes = validator.vid().recover(valid.getFirst().commitment(), shares);
        } catch (InconsistentDispersalException e) {
            return new Result.Inconsistent(e.evidence());
        }
        BlockPayload payload;
        try {
            payload = BlockPayload.parse(nsTable, bytes);
        } catch (IllegalArgumentException e) {
            return new Result.PayloadMismatch("recovered bytes do not parse: " + e.getMessage());
        }
        if (!payload.payloadRoot().equals(header.payloadRoot())) {
            return new Result.PayloadMismatch("recovered payload has payloadRoot " + payload.payloadRoot()
                    + ", header has " + header.payloadRoot());
        }
        return new Result.Recovered(payload, shares.stream().map(VidShare::index).toList());
    }
}
