package dev.cortado.lightclient.api;

import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;

/** A block header in JSON: numbers as JSON integers, roots as 0x-prefixed hex. */
public record HeaderJson(long height, long view, String parent, long timestampMs, long l1Head, String payloadRoot,
        String vidRoot, String nsTableComm, long payloadBytes, String blockCommRoot) {

    public static HeaderJson of(BlockHeader h) {
        return new HeaderJson(h.height().value(), h.view().value(), h.parent().toHex(), h.timestampMs(), h.l1Head(),
                h.payloadRoot().toHex(), h.vidRoot().toHex(), h.nsTableComm().toHex(), h.payloadBytes(),
                h.blockCommRoot().toHex());
    }

    /** @throws IllegalArgumentException if a field is missing or malformed */
    public BlockHeader toHeader() {
        return new BlockHeader(new Height(height), new View(view), Json.bytes32(parent, "parent"), timestampMs, l1Head,
                Json.bytes32(payloadRoot, "payloadRoot"), Json.bytes32(vidRoot, "vidRoot"),
                Json.bytes32(nsTableComm, "nsTableComm"), payloadBytes, Json.bytes32(blockCommRoot, "blockCommRoot"));
    }

}
