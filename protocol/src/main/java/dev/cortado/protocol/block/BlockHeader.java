package dev.cortado.protocol.block;

import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.DomainTags;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.nio.ByteBuffer;

/**
 * A HotShot block header. {@code blockCommRoot} commits to the headers {@code 0 .. height-1}
 * ({@link BlockCommitmentLog}); {@code payloadBytes} is the length of the payload bodies.
 */
public record BlockHeader(
        Height height,
        View view,
        Bytes32 parent,
        long timestampMs,
        long l1Head,
        Bytes32 payloadRoot,
        Bytes32 vidRoot,
        Bytes32 nsTableComm,
        long payloadBytes,
        Bytes32 blockCommRoot) {

    /** Wire encoding version; bump when the layout changes. */
    public static final byte WIRE_VERSION = 1;
    /** version byte, then height, view, parent, timestampMs, l1Head, payloadRoot, vidRoot, nsTableComm, payloadBytes, blockCommRoot. */
    public static final int WIRE_BYTES = 1 + 8 + 8 + 32 + 8 + 8 + 32 + 32 + 32 + 8 + 32;

    public BlockHeader {
        if (height == null || view == null || parent == null || payloadRoot == null || vidRoot == null
                || nsTableComm == null || blockCommRoot == null) {
            throw new IllegalArgumentException("block header fields must not be null");
        }
        if (timestampMs < 0 || l1Head < 0 || payloadBytes < 0) {
            throw new IllegalArgumentException("timestampMs, l1Head and payloadBytes must be non-negative");
        }
    }

    /**
     * {@code keccak256(abi.encode(TAG_header, chainId, uint64 height, uint64 view, parent, uint64 timestampMs,
     * uint64 l1Head, payloadRoot, vidRoot, nsTableComm, uint64 payloadBytes, blockCommRoot))}.
     */
    public Bytes32 commitment(long chainId) {
        return Abi.encoder().bytes32(DomainTags.HEADER).uint256(chainId).uint64(height.value()).uint64(view.value())
                .bytes32(parent).uint64(timestampMs).uint64(l1Head).bytes32(payloadRoot).bytes32(vidRoot)
                .bytes32(nsTableComm).uint64(payloadBytes).bytes32(blockCommRoot).hash();
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(WIRE_BYTES);
        b.put(WIRE_VERSION).putLong(height.value()).putLong(view.value());
        b.put(parent.bytes()).putLong(timestampMs).putLong(l1Head);
        b.put(payloadRoot.bytes()).put(vidRoot.bytes()).put(nsTableComm.bytes());
        b.putLong(payloadBytes).put(blockCommRoot.bytes());
        return b.array();
    }

    /** Exact-length decoding: a short, long or unknown-version encoding is refused. */
    public static BlockHeader decode(byte[] bytes) {
        if (bytes == null || bytes.length != WIRE_BYTES) {
            throw new IllegalArgumentException("a block header has " + WIRE_BYTES + " bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte version = b.get();
        if (version != WIRE_VERSION) {
            throw new IllegalArgumentException("unknown block header version " + version);
        }
        long height = b.getLong();
        long view = b.getLong();
        Bytes32 parent = read32(b);
        long ts = b.getLong();
        long l1 = b.getLong();
        Bytes32 payloadRoot = read32(b);
        Bytes32 vidRoot = read32(b);
        Bytes32 nsComm = read32(b);
        long payloadBytes = b.getLong();
        Bytes32 bcr = read32(b);
        return new BlockHeader(new Height(height), new View(view), parent, ts, l1, payloadRoot, vidRoot, nsComm,
                payloadBytes, bcr);
    }

    private static Bytes32 read32(ByteBuffer b) {
        byte[] out = new byte[32];
        b.get(out);
        return new Bytes32(out);
    }
}
