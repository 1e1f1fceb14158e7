package dev.cortado.devnet.contracts;

import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.assertReverts;
import static dev.cortado.devnet.contracts.support.Chain.error;
import static dev.cortado.devnet.contracts.support.Chain.u;
import static dev.cortado.devnet.contracts.support.Chain.ok;
import static dev.cortado.devnet.contracts.support.Chain.selector;
import static dev.cortado.devnet.contracts.support.Chain.tm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.contracts.generated.CodecHarness;
import dev.cortado.contracts.generated.LightClient;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.protocol.cert.NonSignerData;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.lightclient.AbsentMembers;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.datatypes.Address;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The golden vectors the Java protocol module wrote under contracts/test/vectors/, checked on chain:
 * domain tags, digests, RFC 9380 hash-to-G1 (also against the RFC's own test vectors), signatures,
 * proofs of possession, Merkle trees, stake-table commitments, and light-client certificates (the
 * valid one accepted, the one with a flipped signer bit refused).
 */
class GoldenVectorsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static L1Devnet l1;
    private static CodecHarness harness;

    @BeforeAll
    static void start() throws Exception {
        l1 = L1Devnet.startAnvil();
        harness = CodecHarness.deploy(l1.web3j(), tm(l1, l1.deployer()), GAS).send();
    }

    @AfterAll
    static void stop() {
        l1.close();
    }

    private static JsonNode vectors(String name) throws Exception {
        Path root = Path.of(System.getProperty("cortado.root", "."));
        Path file = root.resolve("contracts/test/vectors").resolve(name);
        if (!Files.exists(file)) {
            file = Path.of("..").resolve("contracts/test/vectors").resolve(name);
        }
        return JSON.readTree(Files.readString(file));
    }

    private static byte[] hex(JsonNode n) {
        return Numeric.hexStringToByteArray(n.asString());
    }

    private static String hex(byte[] b) {
        return Numeric.toHexString(b);
    }

    private static BigInteger big(JsonNode n) {
        return new BigInteger(n.asString().isEmpty() ? "0" : n.asString());
    }

    private static List<byte[]> list(JsonNode arr) {
        List<byte[]> out = new ArrayList<>();
        for (JsonNode n : arr) {
            out.add(hex(n));
        }
        return out;
    }

    @Test
    void domainTagsAndDigestsMatch() throws Exception {
        List<byte[]> tags = harness.tags().send();
        JsonNode t = vectors("domain_tags.json").get("tags");
        assertEquals(11, t.size());
        for (int i = 0; i < 11; i++) {
            assertEquals(t.get(i).get("tag").asString(), hex(tags.get(i)), t.get(i).get("name").asString());
        }
        JsonNode d = vectors("digests.json");
        for (JsonNode v : d.get("quorumVote")) {
            assertEquals(v.get("digest").asString(), hex(harness.quorumVoteDigest(BigInteger.valueOf(v.get("chainId").asLong()),
                    BigInteger.valueOf(v.get("view").asLong()), hex(v.get("leafCommitment"))).send()));
        }
        for (JsonNode v : d.get("timeoutVote")) {
            assertEquals(v.get("digest").asString(), hex(harness.timeoutVoteDigest(
                    BigInteger.valueOf(v.get("chainId").asLong()), BigInteger.valueOf(v.get("view").asLong())).send()));
        }
        for (JsonNode v : d.get("daVote")) {
            assertEquals(v.get("digest").asString(), hex(harness.daVoteDigest(BigInteger.valueOf(v.get("chainId").asLong()),
                    BigInteger.valueOf(v.get("view").asLong()), hex(v.get("payloadRoot")), hex(v.get("vidRoot"))).send()));
        }
        for (JsonNode v : d.get("lcState")) {
            assertEquals(v.get("digest").asString(), hex(harness.lightClientStateDigest(
                    BigInteger.valueOf(v.get("chainId").asLong()), BigInteger.valueOf(v.get("view").asLong()),
                    BigInteger.valueOf(v.get("height").asLong()), hex(v.get("blockCommRoot")),
                    hex(v.get("stakeTableComm"))).send()));
        }
        for (JsonNode v : d.get("pop")) {
            assertEquals(v.get("digest").asString(), hex(harness.popDigest(BigInteger.valueOf(v.get("l1ChainId").asLong()),
                    v.get("stakeTable").asString(), v.get("registrant").asString(), hex(v.get("pkEip2537"))).send()));
        }
    }

    @Test
    void hashToG1MatchesTheVectorsAndRfc9380() throws Exception {
        for (JsonNode c : vectors("hash_to_g1.json").get("cases")) {
            byte[] dst = c.get("dst").asString().getBytes(StandardCharsets.US_ASCII);
            assertEquals(c.get("point").asString(), hex(harness.hashToG1(hex(c.get("msg")), dst).send()),
                    "H(" + c.get("msg").asString() + ")");
        }
        // RFC 9380 appendix J.9.1 (BLS12381G1_XMD:SHA-256_SSWU_RO_), P.x and P.y.
        byte[] dst = "QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_RO_".getBytes(StandardCharsets.US_ASCII);
        String[][] rfc = {
            {"", "052926add2207b76ca4fa57a8734416c8dc95e24501772c814278700eed6d1e4e8cf62d9c09db0fac349612b759e79a1",
                "08ba738453bfed09cb546dbb0783dbb3a5f1f566ed67bb6be0e8c67e2e81a4cc68ee29813bb7994998f3eae0c9c6a265"},
            {"abc", "03567bc5ef9c690c2ab2ecdf6a96ef1c139cc0b2f284dca0a9a7943388a49a3aee664ba5379a7655d3c68900be2f6903",
                "0b9c15f3fe6e5cf4211f346271d7b01c8f3b28be689c8429c85b67af215533311f0b8dfaaa154fa6b88176c229f2885d"},
            {"abcdef0123456789",
                "11e0b079dea29a68f0383ee94fed1b940995272407e3bb916bbf268c263ddd57a6a27200a784cbc248e84f357ce82d98",
                "03a87ae2caf14e8ee52e51fa2ed8eefe80f02457004ba4d486d6aa1f517c0889501dc7413753f9599b099ebcbbd2d709"},
        };
        String pad = "00".repeat(16);
        for (String[] v : rfc) {
            String got = hex(harness.hashToG1(v[0].getBytes(StandardCharsets.US_ASCII), dst).send());
            assertEquals("0x" + pad + v[1] + pad + v[2], got, "RFC 9380 msg \"" + v[0] + "\"");
        }
    }

    @Test
    void signaturesAndProofsOfPossessionVerify() throws Exception {
        JsonNode s = vectors("bls_signatures.json");
        byte[] dst = s.get("dst").asString().getBytes(StandardCharsets.US_ASCII);
        for (JsonNode v : s.get("single")) {
            byte[] digest = hex(v.get("digest"));
            assertEquals(v.get("hashedDigest").asString(), hex(harness.hashToG1(digest, dst).send()));
            assertTrue(harness.verify(hex(v.get("signatureEip2537")), hex(v.get("pkEip2537")), digest, dst).send());
            byte[] other = digest.clone();
            other[0] ^= 1;
            assertFalse(harness.verify(hex(v.get("signatureEip2537")), hex(v.get("pkEip2537")), other, dst).send());
        }
        JsonNode agg = s.get("aggregate");
        byte[] sum = null;
        for (JsonNode pk : agg.get("pks")) {
            sum = sum == null ? hex(pk) : harness.g2Add(sum, hex(pk)).send();
        }
        assertEquals(agg.get("aggKeyEip2537").asString(), hex(sum));
        assertTrue(harness.verify(hex(agg.get("signatureEip2537")), sum, hex(agg.get("digest")), dst).send());
        // Subtracting a key and adding it back returns the aggregate.
        byte[] first = hex(agg.get("pks").get(0));
        byte[] without = harness.g2Add(sum, harness.g2Neg(first).send()).send();
        assertEquals(hex(sum), hex(harness.g2Add(without, first).send()));

        JsonNode p = vectors("pop.json");
        byte[] popDst = p.get("dst").asString().getBytes(StandardCharsets.US_ASCII);
        BigInteger chain = BigInteger.valueOf(p.get("l1ChainId").asLong());
        for (JsonNode v : p.get("valid")) {
            byte[] digest = harness.popDigest(chain, p.get("stakeTable").asString(), p.get("registrant").asString(),
                    hex(v.get("pkEip2537"))).send();
            assertEquals(v.get("digest").asString(), hex(digest));
            assertEquals(v.get("hashedDigest").asString(), hex(harness.hashToG1(digest, popDst).send()));
            assertTrue(harness.verify(hex(v.get("popEip2537")), hex(v.get("pkEip2537")), digest, popDst).send());
        }
        for (JsonNode v : p.get("invalid")) {
            byte[] digest = harness.popDigest(chain, p.get("stakeTable").asString(), v.get("registrant").asString(),
                    hex(v.get("pkEip2537"))).send();
            assertFalse(harness.verify(hex(v.get("popEip2537")), hex(v.get("pkEip2537")), digest, popDst).send());
        }
    }

    @Test
    void theBlsLibraryRefusesMalformedInput() throws Exception {
        Credentials from = l1.deployer();
        byte[] g2 = hex(vectors("bls_signatures.json").get("aggregate").get("aggKeyEip2537"));
        assertReverts(l1, from, harness, harness.g2Add(new byte[255], g2),
                error("BLS12381__BadPointLength(uint256,uint256)", u(256), u(255)));
        assertReverts(l1, from, harness, harness.g2Neg(new byte[100]),
                error("BLS12381__BadPointLength(uint256,uint256)", u(256), u(100)));
        // (1, 1) in Fp2 x Fp2 is not on the curve: the G2ADD precompile refuses it.
        byte[] offCurve = new byte[256];
        offCurve[63] = 1;
        offCurve[191] = 1;
        assertReverts(l1, from, harness, harness.g2Add(offCurve, g2),
                error("BLS12381__PrecompileFailed(address)", new Address("0x000000000000000000000000000000000000000d")));
        assertReverts(l1, from, harness, harness.hashToG1(new byte[1], new byte[256]),
                error("BLS12381__DstTooLong(uint256)", u(256)));
        assertFalse(harness.verify(new byte[127], g2, new byte[32], new byte[1]).send(), "bad signature length");
    }

    @Test
    void merkleTreesAndStakeTableCommitmentsMatch() throws Exception {
        for (JsonNode tree : vectors("merkle.json").get("trees")) {
            List<byte[]> leaves = list(tree.get("leaves"));
            assertEquals(tree.get("root").asString(), hex(harness.merkleRoot(leaves).send()));
            for (JsonNode proof : tree.get("proofs")) {
                int i = proof.get("index").asInt();
                assertEquals(tree.get("root").asString(), hex(harness.rootFromProof(leaves.get(i), BigInteger.valueOf(i),
                        list(proof.get("siblings"))).send()));
            }
        }
        List<JsonNode> tables = new ArrayList<>();
        vectors("stake_tables.json").get("tables").forEach(tables::add);
        tables.add(vectors("light_client.json").get("stakeTable"));
        for (JsonNode t : tables) {
            List<byte[]> leaves = new ArrayList<>();
            for (JsonNode e : t.get("entries")) {
                byte[] leaf = harness.stakeLeaf(BigInteger.valueOf(e.get("index").asLong()), hex(e.get("pkEip2537")),
                        BigInteger.valueOf(e.get("stakeGwei").asLong()), e.get("isDa").asBoolean()).send();
                assertEquals(e.get("leaf").asString(), hex(leaf));
                assertEquals(t.get("root").asString(), hex(harness.rootFromProof(leaf,
                        BigInteger.valueOf(e.get("index").asLong()), list(e.get("siblings"))).send()));
                leaves.add(leaf);
            }
            assertEquals(t.get("root").asString(), hex(harness.merkleRoot(leaves).send()));
            assertEquals(t.get("commitment").asString(), hex(harness.stakeTableCommitment(hex(t.get("root")),
                    BigInteger.valueOf(t.get("count").asLong()), BigInteger.valueOf(t.get("totalStakeGwei").asLong()),
                    hex(t.get("aggKeyEip2537"))).send()));
        }
    }

    @Test
    void theJavaCertificateIsAcceptedAndTheBitFlippedOneRefused() throws Exception {
        JsonNode lc = vectors("light_client.json");
        JsonNode st = lc.get("state");
        var genesis = new LightClient.LightClientState(BigInteger.ZERO, BigInteger.ZERO, new byte[32],
                hex(lc.get("stakeTable").get("commitment")));
        var state = new LightClient.LightClientState(BigInteger.valueOf(st.get("view").asLong()),
                BigInteger.valueOf(st.get("height").asLong()), hex(st.get("blockCommRoot")), hex(st.get("stakeTableComm")));
        LightClient client = LightClient.deploy(l1.web3j(), tm(l1, l1.deployer()), GAS, l1.deployer().getAddress(),
                BigInteger.valueOf(lc.get("chainId").asLong()), genesis, BigInteger.valueOf(8),
                "0x0000000000000000000000000000000000000000").send();
        JsonNode valid = null;
        int refused = 0;
        // Refused ones first: once the valid one lands, the same state would be stale.
        List<JsonNode> certs = new ArrayList<>();
        lc.get("certificates").forEach(c -> certs.add(c.get("valid").asBoolean() ? certs.size() : 0, c));
        for (JsonNode c : certs) {
            JsonNode d = c.get("nonSignerData");
            var table = new LightClient.StakeTableSummary(hex(d.get("aggKeyEip2537")), hex(d.get("root")),
                    BigInteger.valueOf(d.get("count").asLong()), BigInteger.valueOf(d.get("totalStakeGwei").asLong()));
            List<NonSignerData.NonSigner> nonSigners = new ArrayList<>();
            for (JsonNode ns : d.get("nonSigners")) {
                nonSigners.add(new NonSignerData.NonSigner(ns.get("index").asInt(), hex(ns.get("pkEip2537")),
                        ns.get("stakeGwei").asLong(), ns.get("isDa").asBoolean(),
                        list(ns.get("siblings")).stream().map(Bytes32::of).toList()));
            }
            byte[] absent = AbsentMembers.encode(new NonSignerData(table.aggKey, Bytes32.of(table.root),
                    table.count.longValueExact(), table.totalStakeGwei.longValueExact(), nonSigners));
            var call = client.newFinalizedState(state, table, hex(c.get("signatureEip2537")), absent);
            if (c.get("valid").asBoolean()) {
                valid = c;
                ok(call);
            } else {
                assertReverts(l1, l1.deployer(), client, call, selector("LightClient__InvalidSignature(bytes32)"));
                refused++;
            }
        }
        assertTrue(valid != null && refused > 0, "the vectors hold a valid and an invalid certificate");
        assertEquals(BigInteger.valueOf(st.get("height").asLong()), client.finalizedState().send().component2());
        assertEquals(lc.get("digest").asString(), hex(harness.lightClientStateDigest(
                BigInteger.valueOf(lc.get("chainId").asLong()), state.viewNumber, state.height, state.blockCommRoot,
                state.stakeTableComm).send()));
        assertEquals(lc.get("hashedDigest").asString(), hex(harness.hashToG1(hex(lc.get("digest")),
                "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_POP_".getBytes(StandardCharsets.US_ASCII)).send()));
    }
}
