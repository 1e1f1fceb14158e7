package dev.cortado.node.da;

import dev.cortado.node.da.vid.InconsistentDispersal;
import dev.cortado.node.da.vid.InconsistentDispersalException;
import dev.cortado.node.da.vid.Vid;
import dev.cortado.node.da.vid.VidShare;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.BlockPayload;
import dev.cortado.protocol.codec.Keccak;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rebuilds a block's payload from VID shares when no DA committee member serves it. The block was dispersed over
 * the {@code shareCount} share holders of its epoch; the retriever asks for the shares position by position (the
 * caller maps a position to the peer that holds it in that epoch), keeps only shares that verify against the header
 * at the position they were asked for, and recovers as soon as it holds k = {@link Vid#dataShareCount(int)}. The
 * network is behind {@link ShareFetcher}; the retriever itself does no I/O and asks for each position at most once.
 */
public final class PayloadRetriever {
    /** Fetches the share at {@code position} (from its holder) for the block at {@code header}; empty if none came. */
    @FunctionalInterface
    public interface ShareFetcher {
        Optional<StoredShare> fetch(int position, BlockHeader header) throws Exception;
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

        /** Fewer than k valid shares could be had; {@code problems} says what went wrong at each refused position. */
        record Unavailable(int validShares, int needed, List<String> problems) implements Result {
        }
    }

    private final int shareCount;
    private final ShareValidator validator;
    private final ShareFetcher fetcher;

    /** @param shareCount the share count of the block's epoch (its share holders) */
    public PayloadRetriever(int shareCount, ShareFetcher fetcher) {
        this(shareCount, new ShareValidator(), fetcher);
    }

    public PayloadRetriever(int shareCount, ShareValidator validator, ShareFetcher fetcher) {
        if (shareCount < 1) {
            throw new IllegalArgumentException("a dispersal has at least one share, got " + shareCount);
        }
        this.shareCount = shareCount;
        this.validator = validator;
        this.fetcher = fetcher;
    }

    /**
     * @param nsTable the block's namespace table (carried with the proposal; checked against the header)
     * @param askOrder share positions in the order to ask, e.g. one's own first, each at most once
     */
    public Result retrieve(BlockHeader header, byte[] nsTable, List<Integer> askOrder) {
        if (!Keccak.hash(nsTable).equals(header.nsTableComm())) {
            return new Result.PayloadMismatch("namespace table does not match the header's nsTableComm");
        }
        Vid vid = validator.vid(shareCount);
        int n = shareCount;
        int k = vid.dataShareCount();
        List<StoredShare> valid = new ArrayList<>(k);
        List<String> problems = new ArrayList<>();
        boolean[] asked = new boolean[n];
        for (int position : askOrder) {
            if (valid.size() == k) {
                break;
            }
            if (position < 0 || position >= n || asked[position]) {
                continue;
            }
            asked[position] = true;
            Optional<StoredShare> got;
            try {
                got = fetcher.fetch(position, header);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problems.add("position " + position + ": interrupted");
                break;
            } catch (Exception e) {
                problems.add("position " + position + ": " + e);
                continue;
            }
            if (got.isEmpty()) {
                problems.add("position " + position + ": no share");
                continue;
            }
            Optional<String> problem = validator.problem(header, n, position, got.get());
            if (problem.isPresent()) {
                problems.add("position " + position + ": " + problem.get());
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
            bytes = vid.recover(valid.getFirst().commitment(), shares);
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
