package dev.cortado.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.Hex;
import dev.cortado.protocol.types.View;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CodecTest {
    @Test
    void keccakMatchesKnownEthereumValues() {
        assertEquals("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
                Keccak.hash(new byte[0]).toHex());
        assertEquals("0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45",
                Keccak.hash("abc".getBytes(StandardCharsets.US_ASCII)).toHex());
        assertEquals(Keccak.hash("abc".getBytes(StandardCharsets.US_ASCII)),
                Keccak.hash("a".getBytes(StandardCharsets.US_ASCII), "bc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void abiWordsAreBigEndianAndLeftPadded() {
        Address addr = Address.fromHex("0x00112233445566778899aabbccddeeff00112233");
        Bytes32 b = Bytes32.fromHex("0x" + "ab".repeat(32));
        byte[] enc = Abi.encoder().uint64(0x0102).uint256(BigInteger.ONE.shiftLeft(255)).bytes32(b).bool(true)
                .address(addr).uint256(7).build();
        String expected = "0x"
                + "0".repeat(60) + "0102"
                + "8" + "0".repeat(63)
                + "ab".repeat(32)
                + "0".repeat(63) + "1"
                + "0".repeat(24) + "00112233445566778899aabbccddeeff00112233"
                + "0".repeat(63) + "7";
        assertEquals(expected, Hex.encode(enc));
        assertArrayEquals(enc, Abi.encode(View.of(0x0102), BigInteger.ONE.shiftLeft(255), b, true, addr, 7L));
    }

    @Test
    void abiRejectsOutOfRangeValues() {
        assertThrows(IllegalArgumentException.class, () -> Abi.uint64Word(-1));
        assertThrows(IllegalArgumentException.class, () -> Abi.uint256Word(BigInteger.ONE.shiftLeft(256)));
        assertThrows(IllegalArgumentException.class, () -> Abi.uint256Word(BigInteger.valueOf(-1)));
        assertThrows(IllegalArgumentException.class, () -> Abi.encode("a string"));
        assertThrows(IllegalArgumentException.class, () -> Abi.encode((Object) null));
    }

    @Test
    void encodePackedConcatenates() {
        Bytes32 a = Bytes32.fromHex("0x" + "01".repeat(32));
        Bytes32 b = Bytes32.fromHex("0x" + "02".repeat(32));
        assertEquals("0x" + "01".repeat(32) + "02".repeat(32), Hex.encode(Abi.encodePacked(a, b)));
    }

    @Test
    void domainTagsAreKeccakOfTheirLabelAndDistinct() {
        assertEquals(Keccak.hash("cortado/quorum-vote/v1".getBytes(StandardCharsets.UTF_8)), DomainTags.QUORUM_VOTE);
        assertEquals(Keccak.hash("cortado/block-comm/v1".getBytes(StandardCharsets.UTF_8)), DomainTags.BLOCK_COMM);
        Set<Bytes32> tags = new HashSet<>();
        DomainTags.NAMES.forEach(n -> tags.add(DomainTags.tag(n)));
        assertEquals(11, tags.size());
    }

    @Test
    void digestsFollowTheDocumentedEncoding() {
        Bytes32 leaf = Bytes32.fromHex("0x" + "11".repeat(32));
        Bytes32 manual = Keccak.hash(Abi.encoder().bytes32(DomainTags.QUORUM_VOTE).uint256(42).uint64(9).bytes32(leaf).build());
        assertEquals(manual, Digests.quorumVote(42, View.of(9), leaf));
        assertNotEquals(manual, Digests.quorumVote(43, View.of(9), leaf));
        assertNotEquals(manual, Digests.quorumVote(42, View.of(10), leaf));

        Bytes32 lc = Digests.lcState(42, View.of(9), Height.of(3), leaf, Bytes32.ZERO);
        assertEquals(Keccak.hash(Abi.encode(DomainTags.LC_STATE, 42L, View.of(9), Height.of(3), leaf, Bytes32.ZERO)), lc);
        assertNotEquals(Digests.timeoutVote(42, View.of(9)), Digests.quorumVote(42, View.of(9), Bytes32.ZERO));
        assertEquals(Keccak.hash(Abi.encode(DomainTags.DA_VOTE, 42L, View.of(9), leaf, Bytes32.ZERO)),
                Digests.daVote(42, View.of(9), leaf, Bytes32.ZERO));

        Address registrant = Address.fromHex("0x" + "aa".repeat(20));
        byte[] pk = new byte[256];
        pk[5] = 1;
        Address stakeTable = Address.fromHex("0x" + "5e".repeat(20));
        assertEquals(Keccak.hash(Abi.encode(DomainTags.POP, 1L, stakeTable, registrant, Keccak.hash(pk))),
                Digests.pop(1, stakeTable, registrant, pk));
        assertThrows(IllegalArgumentException.class, () -> Digests.pop(1, stakeTable, registrant, new byte[96]));
    }
}
