package dev.cortado.devnet.sequencer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.cortado.protocol.market.PreConfirmation;
import dev.cortado.protocol.market.Secp256k1;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.abi.DefaultFunctionEncoder;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

/**
 * The pre-confirmation digest as documented, recomputed with web3j's ABI encoder (an independent implementation of
 * {@code abi.encode}), and its signer recovered by web3j's own recovery.
 */
class PreConfirmationDigestTest {
    @Test
    void digestIsTheDocumentedAbiEncodingAndWeb3jRecoversTheSigner() throws Exception {
        Address market = Address.fromHex("0x5fbdb2315678afecb367f032d93f642f64180aa3");
        Bytes32 tx = Bytes32.fromHex("0x" + "ab".repeat(32));
        PreConfirmation p = new PreConfirmation(31337, market, tx, 100, 3, 7, 2, 31);
        byte[] tag = Hash.sha3("cortado/preconf/v1".getBytes(StandardCharsets.US_ASCII));
        @SuppressWarnings("rawtypes")
        List<Type> fields = List.of(new org.web3j.abi.datatypes.generated.Bytes32(tag), new Uint256(31337),
                new org.web3j.abi.datatypes.Address(market.toHex()), new org.web3j.abi.datatypes.generated.Bytes32(tx.bytes()),
                new Uint64(100), new Uint64(3), new Uint64(7), new Uint32(2), new Uint64(31));
        byte[] expected = Hash.sha3(Numeric.hexStringToByteArray(new DefaultFunctionEncoder().encodeParameters(fields)));
        assertArrayEquals(expected, p.digest().bytes());

        Secp256k1.KeyPair key = Secp256k1.keyPair(new BigInteger("1234567890abcdef", 16));
        Secp256k1.Signature sig = p.sign(key).signature();
        var web3jSig = new org.web3j.crypto.Sign.SignatureData((byte) sig.v(), Numeric.toBytesPadded(sig.r(), 32),
                Numeric.toBytesPadded(sig.s(), 32));
        BigInteger pub = org.web3j.crypto.Sign.signedMessageHashToKey(p.digest().bytes(), web3jSig);
        assertEquals(key.address().toHex(), "0x" + Keys.getAddress(pub));
        assertNotEquals(p.digest(), new PreConfirmation(31337, market, tx, 100, 3, 7, 3, 31).digest(), "position is bound");
    }
}
