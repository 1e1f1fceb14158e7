package dev.cortado.settlement.batch;

import dev.cortado.protocol.types.Bytes32;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongUnaryOperator;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Blobs from a beacon node's API, {@code GET /eth/v1/beacon/blobs/{block_id}?versioned_hashes=…}
 * (the route that replaced {@code blob_sidecars}), answer {@code {"data": ["0x…", …]}}; when a node does
 * not answer it with 200, the older {@code GET /eth/v1/beacon/blob_sidecars/{block_id}} (answer
 * {@code {"data": [{"index": …, "blob": "0x…", …}]}}) is tried, its commitments and proofs ignored.
 * The block id is the slot of the L1 block on a real beacon node ({@code (timestamp − genesis_time) /
 * SECONDS_PER_SLOT}, both read from the node), or the L1 block number for Anvil, whose beacon route
 * names blocks by their execution number. The answer is hostile: its size is bounded before it is
 * parsed, each entry must be a 131,072-byte blob, and each requested hash must be matched by a blob
 * whose recomputed KZG commitment gives it (a node that ignores the filter and sends the whole block's
 * blobs is fine, within the bound).
 */
public final class BeaconBlobSource implements BlobSource {
    /** How a beacon node names the block of an L1 block. */
    public enum BlockId { SLOT, L1_NUMBER }

    /** The most blobs one answer may carry: far above any fork's per-block maximum so far. */
    public static final int MAX_BLOBS_PER_ANSWER = 64;
    /** A blob in hex with quotes and separator, times the bound, plus room for the envelope. */
    public static final long MAX_ANSWER_BYTES = MAX_BLOBS_PER_ANSWER * (2L * BlobPacking.BLOB_BYTES + 8) + 4096;
    private static final long MAX_SMALL_ANSWER_BYTES = 64 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final BlockId blockId;
    private final LongUnaryOperator timestampOfL1Block;
    private final HttpClient http;
    private final Duration timeout;
    private long genesisTimeSec = -1;
    private long secondsPerSlot = -1;

    /**
     * @param base the beacon API base URL, e.g. {@code http://127.0.0.1:5052}
     * @param timestampOfL1Block the L1 block's timestamp in seconds (needed for {@link BlockId#SLOT})
     */
    public BeaconBlobSource(URI base, BlockId blockId, LongUnaryOperator timestampOfL1Block, Duration timeout) {
        this.base = Objects.requireNonNull(base, "base");
        if (base.getScheme() == null || !(base.getScheme().equals("http") || base.getScheme().equals("https"))) {
            throw new IllegalArgumentException("the beacon API URL must be http(s), got " + base);
        }
        this.blockId = Objects.requireNonNull(blockId, "blockId");
        this.timestampOfL1Block = Objects.requireNonNull(timestampOfL1Block, "timestampOfL1Block");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public List<byte[]> blobs(long l1Block, List<Bytes32> versionedHashes) {
        if (versionedHashes.isEmpty() || versionedHashes.size() > MAX_BLOBS_PER_ANSWER) {
            throw new IllegalArgumentException(versionedHashes.size() + " versioned hashes");
        }
        String id = switch (blockId) {
            case L1_NUMBER -> Long.toString(l1Block);
            case SLOT -> Long.toString(slotOf(l1Block));
        };
        String filter = versionedHashes.stream().map(Bytes32::toHex).collect(Collectors.joining(","));
        String what = "blobs of L1 block " + l1Block + " (block id " + id + ")";
        Answer a = fetch("/eth/v1/beacon/blobs/" + id + "?versioned_hashes=" + filter, MAX_ANSWER_BYTES, what);
        JsonNode data;
        boolean sidecars = a.status() != 200;
        if (!sidecars) {
            data = json(a, what).get("data");
        } else {
            // A node from before the Fulu API has only the sidecar route (which Fulu nodes and Anvil answer with 410).
            Answer b = fetch("/eth/v1/beacon/blob_sidecars/" + id, MAX_ANSWER_BYTES, what);
            if (b.status() != 200) {
                throw unavailable(what + ": HTTP " + a.status() + " " + a.text() + "; blob_sidecars: HTTP " + b.status() + " "
                        + b.text());
            }
            data = json(b, what).get("data");
        }
        if (data == null || !data.isArray()) throw unavailable("the answer for block id " + id + " has no data array");
        if (data.size() > MAX_BLOBS_PER_ANSWER) throw unavailable("the answer carries " + data.size() + " blobs");
        Map<Bytes32, byte[]> byHash = new HashMap<>();
        for (int i = 0; i < data.size(); i++) {
            JsonNode entry = sidecars ? data.get(i).get("blob") : data.get(i);
            byte[] blob = hexBlob(entry, i);
            byHash.put(InboxL1.versionedHash(blob), blob);
        }
        List<byte[]> out = new ArrayList<>(versionedHashes.size());
        for (int i = 0; i < versionedHashes.size(); i++) {
            byte[] blob = byHash.get(versionedHashes.get(i));
            if (blob == null) {
                throw unavailable("the beacon node's " + data.size() + " blob(s) for block id " + id + " include none with"
                        + " versioned hash " + versionedHashes.get(i) + " (blob " + i + "): pruned, wrong block, or a lying node");
            }
            out.add(BlobSource.checked(blob, versionedHashes.get(i), i));
        }
        return out;
    }

    private long slotOf(long l1Block) {
        if (genesisTimeSec < 0) {
            genesisTimeSec = number(json(fetch("/eth/v1/beacon/genesis", MAX_SMALL_ANSWER_BYTES, "genesis"), "genesis")
                    .path("data").path("genesis_time"), "genesis_time");
            secondsPerSlot = number(json(fetch("/eth/v1/config/spec", MAX_SMALL_ANSWER_BYTES, "spec"), "spec")
                    .path("data").path("SECONDS_PER_SLOT"), "SECONDS_PER_SLOT");
            if (secondsPerSlot < 1) throw unavailable("the beacon node says SECONDS_PER_SLOT = " + secondsPerSlot);
        }
        long t = timestampOfL1Block.applyAsLong(l1Block);
        if (t < genesisTimeSec || (t - genesisTimeSec) % secondsPerSlot != 0) {
            throw unavailable("L1 block " + l1Block + " at " + t + " s is not on a slot boundary of genesis " + genesisTimeSec
                    + " s and " + secondsPerSlot + " s per slot: is this the beacon node of that L1?");
        }
        return (t - genesisTimeSec) / secondsPerSlot;
    }

    private static long number(JsonNode n, String what) {
        if (n.isTextual() && n.asText().matches("[0-9]{1,18}")) return Long.parseLong(n.asText());
        if (n.isIntegralNumber() && n.canConvertToLong()) return n.asLong();
        throw unavailable("the beacon node's " + what + " is not a number: " + abbreviate(n.toString()));
    }

    private static byte[] hexBlob(JsonNode n, int index) {
        String s = n == null || !n.isTextual() ? null : n.asText();
        if (s == null || s.length() != 2 + 2 * BlobPacking.BLOB_BYTES || !s.startsWith("0x")) {
            throw unavailable("entry " + index + " of the answer is not a 0x-prefixed " + BlobPacking.BLOB_BYTES + "-byte blob");
        }
        try {
            return HexFormat.of().parseHex(s, 2, s.length());
        } catch (IllegalArgumentException e) {
            throw unavailable("entry " + index + " of the answer is not hex");
        }
    }

    /** A status and a body read up to its bound. */
    private record Answer(int status, byte[] body) {
        String text() {
            return abbreviate(new String(body, 0, Math.min(body.length, 1024), StandardCharsets.UTF_8));
        }
    }

    /** One GET whose body is read up to {@code maxBytes}; a longer body or a transport failure is refused. */
    private Answer fetch(String path, long maxBytes, String what) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).header("Accept", "application/json")
                .GET().build();
        try {
            HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
                if (body.length > maxBytes) throw unavailable(what + ": the answer is over " + maxBytes + " bytes");
                return new Answer(r.statusCode(), body);
            }
        } catch (IOException e) {
            throw unavailable(what + " from " + base + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(what + ": interrupted");
        }
    }

    /** The JSON of a 200 answer; any other status or a body that is not JSON is refused with the node's words. */
    private static JsonNode json(Answer a, String what) {
        if (a.status() != 200) throw unavailable(what + ": HTTP " + a.status() + " " + a.text());
        try {
            return JSON.readTree(a.body());
        } catch (JacksonException e) {
            throw unavailable(what + ": the answer is not JSON (" + abbreviate(e.getOriginalMessage()) + ")");
        }
    }

    private static String abbreviate(String s) {
        String one = s == null ? "" : s.replaceAll("\\s+", " ");
        return one.length() > 200 ? one.substring(0, 200) + "…" : one;
    }

    private static BlobUnavailableException unavailable(String message) {
        return new BlobUnavailableException(message);
    }

    @Override
    public void close() {
        http.close();
    }
}
