package dev.cortado.settlement.lightclient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.contracts.generated.LightClient;
import dev.cortado.lightclient.LightClientVerificationException;
import dev.cortado.lightclient.LightClientVerificationException.Reason;
import dev.cortado.lightclient.api.LightClientAnswer;
import dev.cortado.lightclient.api.LightClientAnswer.NonSignerDataJson;
import dev.cortado.lightclient.api.LightClientAnswer.NonSignerJson;
import dev.cortado.protocol.cert.SignerBitmap;
import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.stake.StakeFixtures;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Hex;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LightClientCalldataTest {
    private static final long CHAIN = 31337_01;
    private static final List<BlsKeyPair> KEYS = StakeFixtures.keys(10);
    private static final StakeTable TABLE = StakeFixtures.table(KEYS);
    private static final CertifiedChain CHAIN_OF_6 = new CertifiedChain(CHAIN, KEYS, TABLE, 6);

    static List<StakeTableTrust> trusts() {
        return List.of(new StakeTableTrust.Known(TABLE), new StakeTableTrust.OnL1());
    }

    private static LightClientCalldata convert(LightClientAnswer a, StakeTableTrust trust) {
        return LightClientCalldata.fromAnswer(a, CHAIN, trust, TABLE.commitment());
    }

    private static Reason rejection(LightClientAnswer a, StakeTableTrust trust) {
        return assertThrows(LightClientVerificationException.class, () -> convert(a, trust)).reason();
    }

    @ParameterizedTest
    @MethodSource("trusts")
    void convertsAVerifiedAnswerIntoTheContractStructs(StakeTableTrust trust) {
        LightClientAnswer a = CHAIN_OF_6.answer(5, 0, 5);
        LightClientCalldata c = convert(a, trust);
        assertEquals(5, c.height());
        assertEquals(CHAIN_OF_6.headers.get(5).view().value(), c.view());
        assertArrayEquals(CHAIN_OF_6.log.blockCommRoot(6).bytes(), c.state().blockCommRoot);
        assertArrayEquals(TABLE.commitment().bytes(), c.state().stakeTableComm);
        assertArrayEquals(TABLE.aggregateKey().toEip2537(), c.table().aggKey);
        assertArrayEquals(TABLE.merkleRoot().bytes(), c.table().root);
        assertEquals(BigInteger.TEN, c.table().count);
        assertEquals(BigInteger.valueOf(TABLE.totalStakeGwei()), c.table().totalStakeGwei);
        assertArrayEquals(Hex.decode(a.certificate().signatureEip2537()), c.signature());
        List<AbsentMembers.Member> absent = AbsentMembers.verify(c.absent(), TABLE.merkleRoot(), 10);
        assertEquals(List.of(0, 5), absent.stream().map(AbsentMembers.Member::index).toList());
        AbsentMembers.Member five = absent.get(1);
        assertArrayEquals(KEYS.get(5).publicKey().toEip2537(), five.pkEip2537());
        assertEquals(StakeFixtures.stakeGwei(5), five.stakeGwei());
        assertEquals(TABLE.entry(5).daMember(), five.isDa());
        // Leaves 0 and 5 of a 16-leaf tree: two siblings on each of levels 0 and 1, none on level 2 (their
        // ancestors 0 and 1 are siblings), one on level 3 (the node over leaves 8..15): 5 instead of 8.
        assertEquals(2 + 2 * AbsentMembers.RECORD_BYTES + 5 * 32, c.absent().length);
    }

    @ParameterizedTest
    @MethodSource("trusts")
    void refusesTooLittleStake(StakeTableTrust trust) {
        // Stakes are 1,2,3,4,1,2,3,4,1,2 units (23): without 2, 3, 6 and 7 only 9 units sign.
        assertEquals(Reason.INSUFFICIENT_STAKE, rejection(CHAIN_OF_6.answer(4, 2, 3, 6, 7), trust));
        // Without 3 and 7 exactly 15 of 23 sign: more than two thirds is 15.34, so still too little.
        assertEquals(Reason.INSUFFICIENT_STAKE, rejection(CHAIN_OF_6.answer(4, 3, 7), trust));
    }

    @ParameterizedTest
    @MethodSource("trusts")
    void refusesAForgedSignature(StakeTableTrust trust) {
        List<BlsKeyPair> outsiders = IntStream.range(100, 110).mapToObj(StakeFixtures::key).toList();
        assertEquals(Reason.INVALID_CERTIFICATE,
                rejection(CHAIN_OF_6.answerSignedBy(3, SignerBitmap.full(10), outsiders), trust));
        // Signed by 1..9 but the bitmap claims member 0 signed as well.
        var lying = CHAIN_OF_6.answerSignedBy(3, SignerBitmap.full(10).without(0), KEYS);
        var c = lying.certificate();
        var claimsAll = new LightClientAnswer(lying.state(), new LightClientAnswer.CertificateJson(c.stakeTableSize(),
                Hex.encode(SignerBitmap.full(10).toBytes()), 10, c.signature(), c.signatureEip2537()),
                NonSignerDataJson.of(dev.cortado.protocol.cert.NonSignerData.build(TABLE, SignerBitmap.full(10))),
                lying.header(), lying.headerProof());
        assertEquals(Reason.INVALID_CERTIFICATE, rejection(claimsAll, trust));
    }

    @Test
    void onL1TrustRefusesATableTheContractDoesNotCommitTo() {
        StakeTable other = StakeFixtures.table(StakeFixtures.keys(9));
        var e = assertThrows(LightClientVerificationException.class, () ->
                LightClientCalldata.fromAnswer(CHAIN_OF_6.answer(2), CHAIN, new StakeTableTrust.OnL1(), other.commitment()));
        assertEquals(Reason.WRONG_STAKE_TABLE, e.reason());
        var known = assertThrows(LightClientVerificationException.class, () -> LightClientCalldata.fromAnswer(
                CHAIN_OF_6.answer(2), CHAIN, new StakeTableTrust.Known(TABLE), other.commitment()));
        assertEquals(Reason.WRONG_STAKE_TABLE, known.reason());
        assertTrue(known.getMessage().contains("not the one LightClient commits to"), known.getMessage());
    }

    @ParameterizedTest
    @MethodSource("trusts")
    void refusesNonSignerDataTheContractWouldRefuse(StakeTableTrust trust) {
        LightClientAnswer a = CHAIN_OF_6.answer(5, 1, 4);
        NonSignerDataJson d = a.nonSignerData();
        NonSignerJson first = d.nonSigners().getFirst();
        // A lighter non-signer would let too little stake pass; its leaf no longer proves.
        var lighter = new NonSignerJson(first.index(), first.publicKeyEip2537(), 1, first.isDa(), first.siblings());
        assertEquals(Reason.INVALID_NON_SIGNER_DATA, rejection(withNonSigners(a, List.of(lighter, d.nonSigners().get(1))), trust));
        // Dropping a non-signer claims its stake as signed.
        assertEquals(Reason.INVALID_NON_SIGNER_DATA, rejection(withNonSigners(a, List.of(d.nonSigners().get(1))), trust));
        var swapped = new ArrayList<>(d.nonSigners());
        java.util.Collections.reverse(swapped);
        assertEquals(Reason.INVALID_NON_SIGNER_DATA, rejection(withNonSigners(a, swapped), trust));
    }

    @Test
    void refusesMalformedAnswers() {
        LightClientAnswer a = CHAIN_OF_6.answer(1);
        var noData = new LightClientAnswer(a.state(), a.certificate(), null, a.header(), a.headerProof());
        assertEquals(Reason.MALFORMED_ANSWER, rejection(noData, new StakeTableTrust.OnL1()));
        var c = a.certificate();
        var badSig = new LightClientAnswer(a.state(), new LightClientAnswer.CertificateJson(c.stakeTableSize(),
                c.signers(), c.signerCount(), "0x1234", c.signatureEip2537()), a.nonSignerData(), a.header(), a.headerProof());
        assertEquals(Reason.MALFORMED_ANSWER, rejection(badSig, new StakeTableTrust.OnL1()));
        assertEquals(Reason.MALFORMED_ANSWER, rejection(null, new StakeTableTrust.OnL1()));
    }

    private static LightClientAnswer withNonSigners(LightClientAnswer a, List<NonSignerJson> list) {
        NonSignerDataJson d = a.nonSignerData();
        return new LightClientAnswer(a.state(), a.certificate(),
                new NonSignerDataJson(d.aggKeyEip2537(), d.root(), d.count(), d.totalStakeGwei(), list), a.header(),
                a.headerProof());
    }

    private static String selector(String signature) {
        return Hex.encode(Keccak.hash(signature.getBytes(StandardCharsets.UTF_8)).bytes()).substring(0, 10);
    }

    @Test
    void decodesCustomErrorsWithTheirNamesAndValues() {
        String data = selector("LightClient__StaleState(uint64,uint64,uint64,uint64)")
                + Hex.encode(Abi.encoder().uint64(3).uint64(5).uint64(2).uint64(6).build()).substring(2);
        ContractRevert r = LightClientCalldata.decodeRevert(data);
        assertEquals("LightClient__StaleState", r.name());
        assertEquals("LightClient__StaleState(latestView=3, latestHeight=5, viewNumber=2, height=6)", r.toString());

        Bytes32 digest = Keccak.hash(new byte[] {1});
        ContractRevert sig = LightClientCalldata.decodeRevert(selector("LightClient__InvalidSignature(bytes32)")
                + digest.toHex().substring(2));
        assertEquals("LightClient__InvalidSignature(digest=" + digest.toHex() + ")", sig.toString());

        String message = "no";
        String errorString = selector("Error(string)") + Hex.encode(Abi.encoder().uint256(32).uint256(2).build()).substring(2)
                + Hex.encode(java.util.Arrays.copyOf(message.getBytes(StandardCharsets.UTF_8), 32)).substring(2);
        assertEquals("Error(message=no)", LightClientCalldata.decodeRevert(errorString).toString());

        assertEquals("unknown", LightClientCalldata.decodeRevert("0xdeadbeef").name());
        assertEquals("unknown", LightClientCalldata.decodeRevert("0x").name());
        assertEquals("unknown", LightClientCalldata.decodeRevert(null).name());
        // A known selector with truncated arguments is not guessed at.
        assertEquals("unknown", LightClientCalldata.decodeRevert(data.substring(0, 40)).name());
    }

    @Test
    void namesEveryParameterOfEveryContractError() {
        Map<String, Integer> arities = LightClientCalldata.knownErrorArities();
        Map<String, List<String>> names = LightClientCalldata.parameterNames();
        arities.forEach((error, arity) -> {
            assertTrue(names.containsKey(error), "no parameter names for " + error);
            assertEquals(arity, names.get(error).size(), "parameter names of " + error);
        });
        assertTrue(arities.containsKey("LightClient__StaleState"));
    }
}
