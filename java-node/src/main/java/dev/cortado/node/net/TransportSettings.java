package dev.cortado.node.net;

/**
 * @param chainId the HotShot chain id as a 32-byte big-endian word; peers on another chain are refused
 * @param maxFrameBytes largest accepted frame (after the length field)
 * @param handshakeTimeoutMs a connection that has not authenticated by then is closed
 * @param writeHighWaterBytes outbound bytes buffered before a channel reports unwritable
 * @param maxPendingWriteBytes hard cap of buffered outbound bytes per connection; sends beyond it fail
 * @param keepAliveMs a PING goes out after this long without writes
 * @param silentPeerMs a connection with nothing read for this long is closed (detects dead brokers)
 */
public record TransportSettings(
        byte[] chainId, int maxFrameBytes, long handshakeTimeoutMs, int writeHighWaterBytes, long maxPendingWriteBytes,
        long keepAliveMs, long silentPeerMs) {
    public TransportSettings {
        if (chainId.length != 32) {
            throw new IllegalArgumentException("chainId must be 32 bytes");
        }
        if (maxFrameBytes < 256) {
            throw new IllegalArgumentException("maxFrameBytes must be at least 256, got " + maxFrameBytes);
        }
        if (handshakeTimeoutMs <= 0) {
            throw new IllegalArgumentException("handshakeTimeoutMs must be positive");
        }
        if (keepAliveMs <= 0 || silentPeerMs <= keepAliveMs) {
            throw new IllegalArgumentException("need 0 < keepAliveMs < silentPeerMs, got " + keepAliveMs + ", " + silentPeerMs);
        }
        chainId = chainId.clone();
    }

    public static TransportSettings defaults(byte[] chainId) {
        return new TransportSettings(chainId, 16 << 20, 5_000, 8 << 20, 256L << 20, 200, 800);
    }

    public static byte[] chainIdWord(long chainId) {
        byte[] word = new byte[32];
        for (int i = 0; i < 8; i++) {
            word[31 - i] = (byte) (chainId >>> (8 * i));
        }
        return word;
    }
}
