package dev.cortado.devnet.sequencer;

import dev.cortado.protocol.market.BundleRecord;
import dev.cortado.protocol.market.PreConfirmation;
import dev.cortado.protocol.types.Hex;
import dev.cortado.protocol.types.Address;
import dev.cortado.settlement.port.MarketClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a signed pre-confirmation against a node's decided chain: <b>honoured</b> when the transaction is decided
 * in the promised namespace in a block of the promised window; <b>pending</b> while it is not decided and the
 * promise's expiry slot has not passed; <b>broken</b> otherwise, with the evidence (the signed promise and what the
 * chain holds). Honoured also needs the position: the block's reserved namespace (its bundle records) must hold a
 * record signed by the promise's signer for that window and sequence whose entry at the promised position is the
 * transaction; a transaction decided loose, in another bundle, or at another position is a broken promise.
 */
public final class PreconfVerifier {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public enum Status { HONOURED, PENDING, BROKEN }

    public record Verdict(Status status, String detail) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI node;
    private final MarketClock clock;

    public PreconfVerifier(URI node, MarketClock clock) {
        this.node = node;
        this.clock = clock;
    }

    public Verdict verify(PreConfirmation.Signed signed, Optional<Address> expectedSigner, long nowMs) throws IOException {
        PreConfirmation p = signed.preconf();
        Optional<Address> signer = signed.signer();
        if (signer.isEmpty()) return new Verdict(Status.BROKEN, "the signature does not recover to any address");
        if (expectedSigner.isPresent() && !expectedSigner.get().equals(signer.get())) {
            return new Verdict(Status.BROKEN, "signed by " + signer.get().toHex() + ", not by the sequencer "
                    + expectedSigner.get().toHex() + " (not a promise of that sequencer)");
        }
        HttpResponse<String> tx = get("/v0/tx/" + p.txHash().toHex());
        if (tx.statusCode() == 404) {
            long slot = clock.slots().slotAt(nowMs / 1000);
            if (slot <= p.expirySlot()) {
                return new Verdict(Status.PENDING, "transaction " + p.txHash() + " is not decided yet; promised by slot "
                        + p.expirySlot() + ", now slot " + slot);
            }
            return new Verdict(Status.BROKEN, "transaction " + p.txHash() + " was promised by " + signer.get().toHex()
                    + " for window " + p.window() + " (bundle " + p.sequence() + ", position " + p.position()
                    + ") by slot " + p.expirySlot() + ", but is not decided at slot " + slot + "; evidence: "
                    + JSON.writeValueAsString(PreconfJson.of(signed)) + " and node " + node + " answering 404 for it");
        }
        if (tx.statusCode() != 200) throw new IOException(node + " answered " + tx.statusCode() + ": " + tx.body());
        JsonNode t = JSON.readTree(tx.body());
        long height = t.get("height").longValue();
        long namespace = t.get("namespace").longValue();
        if (namespace != p.namespace()) {
            return new Verdict(Status.BROKEN, "transaction decided at height " + height + " in namespace " + namespace
                    + ", promised in namespace " + p.namespace() + "; evidence: " + JSON.writeValueAsString(PreconfJson.of(signed)));
        }
        HttpResponse<String> block = get("/v0/block/" + height);
        if (block.statusCode() != 200) throw new IOException(node + " has the transaction at " + height + " but no block");
        long timestampMs = JSON.readTree(block.body()).get("header").get("timestampMs").longValue();
        long window = clock.windowAt(timestampMs / 1000);
        if (window != p.window()) {
            return new Verdict(Status.BROKEN, "transaction decided at height " + height + " in window " + window
                    + ", promised for window " + p.window() + "; evidence: " + JSON.writeValueAsString(PreconfJson.of(signed))
                    + " and block " + height + " with timestamp " + timestampMs + " ms");
        }
        Optional<String> misplaced = checkPosition(p, signer.get(), height);
        if (misplaced.isPresent()) {
            return new Verdict(Status.BROKEN, "transaction decided at height " + height + " " + misplaced.get()
                    + "; evidence: " + JSON.writeValueAsString(PreconfJson.of(signed)) + " and the bundle records of block "
                    + height);
        }
        return new Verdict(Status.HONOURED, "decided at height " + height + ", namespace " + namespace + ", index "
                + t.get("index").intValue() + ", in window " + window + ", at position " + p.position() + " of bundle "
                + p.sequence());
    }

    /** Why the block's bundle records do not put the transaction where promised; empty when they do. */
    private Optional<String> checkPosition(PreConfirmation p, Address signer, long height) throws IOException {
        HttpResponse<String> ns = get("/v0/block/" + height + "/namespace/" + BundleRecord.NAMESPACE);
        if (ns.statusCode() != 200) throw new IOException(node + " has block " + height + " but not its bundle records");
        JsonNode txs = JSON.readTree(ns.body()).get("transactions");
        String found = null;
        for (JsonNode hex : txs) {
            BundleRecord r = BundleRecord.decode(Hex.decode(hex.stringValue()));
            if (r.window() != p.window() || r.sequence() != p.sequence()
                    || !r.signer(p.chainId(), p.marketplace()).map(signer::equals).orElse(false)) {
                continue;
            }
            if (p.position() < r.entries().size() && r.entries().get(p.position()).txHash().equals(p.txHash())
                    && r.entries().get(p.position()).namespace().value() == p.namespace()) {
                return Optional.empty();
            }
            for (int i = 0; i < r.entries().size(); i++) {
                if (r.entries().get(i).txHash().equals(p.txHash())) {
                    found = "at position " + i + " of bundle " + p.sequence() + ", promised at position " + p.position();
                }
            }
            if (found == null) {
                found = "but bundle " + p.sequence() + " of " + signer.toHex() + " there does not hold it";
            }
        }
        return Optional.of(found != null ? found : "outside bundle " + p.sequence() + " of " + signer.toHex()
                + " (the block holds no such bundle)");
    }

    private HttpResponse<String> get(String path) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(node.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
