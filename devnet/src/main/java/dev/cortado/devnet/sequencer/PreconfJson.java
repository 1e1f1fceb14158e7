package dev.cortado.devnet.sequencer;

import dev.cortado.protocol.market.PreConfirmation;
import dev.cortado.protocol.market.Secp256k1;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import java.util.HexFormat;

/**
 * A signed pre-confirmation as JSON: what {@code cortado sequencer} answers and {@code cortado verify-preconf} reads.
 * {@code signer} is informative only; verification recovers it from {@code signature}.
 */
public record PreconfJson(long chainId, String marketplace, String txHash, long namespace, long window, long sequence,
                          int position, long expirySlot, String signature, String signer) {

    public static PreconfJson of(PreConfirmation.Signed s) {
        PreConfirmation p = s.preconf();
        return new PreconfJson(p.chainId(), p.marketplace().toHex(), p.txHash().toHex(), p.namespace(), p.window(),
                p.sequence(), p.position(), p.expirySlot(), "0x" + HexFormat.of().formatHex(s.signature().encode()),
                s.signer().map(Address::toHex).orElse(null));
    }

    /** The signed pre-confirmation; bad fields are an {@link IllegalArgumentException} naming the field. */
    public PreConfirmation.Signed toSigned() {
        if (signature == null || !signature.matches("0x[0-9a-fA-F]{130}")) {
            throw new IllegalArgumentException("signature must be 0x and 65 bytes of hex");
        }
        return new PreConfirmation.Signed(new PreConfirmation(chainId, Address.fromHex(marketplace), Bytes32.fromHex(txHash),
                namespace, window, sequence, position, expirySlot),
                Secp256k1.Signature.decode(HexFormat.of().parseHex(signature.substring(2))));
    }
}
