package dev.cortado.node.net;

/**
 * The messages of the transport layer. Every frame carries exactly one of them; application
 * messages (consensus, CDN, catch-up) travel inside {@link Data#payload()}.
 */
public sealed interface WireMessage {

    /** First message on a connection: who I claim to be and the nonce the other side must sign. */
    record Hello(byte[] chainId, byte[] nonce, PeerKey publicKey) implements WireMessage {
        public Hello {
            if (chainId.length != 32 || nonce.length != 32) {
                throw new IllegalArgumentException("chainId and nonce are 32 bytes");
            }
        }
    }

    /** Proof of key possession: a BLS signature over the handshake digest that binds both nonces. */
    record Auth(byte[] signature) implements WireMessage {
        public Auth {
            if (signature.length != WireCodec.SIGNATURE_BYTES) {
                throw new IllegalArgumentException("signature is " + WireCodec.SIGNATURE_BYTES + " bytes");
            }
        }
    }

    /** An application payload; {@code sequence} starts at 1 per session and grows by exactly one. */
    record Data(long sequence, byte[] payload) implements WireMessage {}

    /** Keep-alive; carries nothing and is not sequenced. */
    enum Ping implements WireMessage { INSTANCE }
}
