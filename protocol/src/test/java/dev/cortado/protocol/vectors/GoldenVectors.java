package dev.cortado.protocol.vectors;

import dev.cortado.protocol.cert.AggregateCertificate;
import dev.cortado.protocol.cert.CertFixtures;
import dev.cortado.protocol.cert.LightClientCertificate;
import dev.cortado.protocol.cert.LightClientState;
import dev.cortado.protocol.cert.NonSignerData;
import dev.cortado.protocol.cert.SignerBitmap;
import dev.cortado.protocol.cert.ThresholdKind;
import dev.cortado.protocol.cert.Verdict;
import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.DomainTags;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.crypto.BlsSignature;
import dev.cortado.protocol.crypto.HashToG1;
import dev.cortado.protocol.merkle.MerkleProof;
import dev.cortado.protocol.merkle.MerkleTree;
import dev.cortado.protocol.stake.StakeFixtures;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.Hex;
import dev.cortado.protocol.types.View;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the golden vectors that Java and Solidity tests both check (contracts/test/vectors). Every
 * value comes from the production code, and the generator re-verifies what it writes, so a file
 * never holds a vector the Java side would reject. Output is deterministic: fixed seeds, fixed inputs,
 * ordered keys. Hex is 0x-prefixed lowercase; integers are JSON numbers below 2^53.
 */
public final class GoldenVectors {
    public static final String REGENERATE = "mvn -o -q -B -pl protocol test-compile exec:java "
            + "-Dexec.mainClass=dev.cortado.protocol.vectors.GoldenVectors -Dexec.classpathScope=test "
            + "-Dexec.args=contracts/test/vectors   (run from the repository root)";

    static final long CHAIN_ID = 31337;
    static final long L1_CHAIN_ID = 1;
    static final Address REGISTRANT = Address.fromHex("0x000000000000000000000000000000000000c0de");
    static final Address STAKE_TABLE = Address.fromHex("0x0000000000000000000000000000000000005eed");

    private GoldenVectors() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: GoldenVectors <output directory>");
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        SortedMap<String, String> files = render();
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(out.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
        }
        System.out.println("wrote " + files.size() + " vector files to " + out.toAbsolutePath());
    }

    /** File name to file content. */
    public static SortedMap<String, String> render() {
        JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        SortedMap<String, String> files = new TreeMap<>();
        put(files, mapper, "domain_tags.json", domainTags());
        put(files, mapper, "digests.json", digests());
        put(files, mapper, "abi.json", abi());
        put(files, mapper, "merkle.json", merkle());
        put(files, mapper, "hash_to_g1.json", hashToG1());
        put(files, mapper, "bls_signatures.json", signatures());
        put(files, mapper, "pop.json", pop());
        put(files, mapper, "stake_tables.json", stakeTables());
        put(files, mapper, "light_client.json", lightClient());
        return files;
    }

    private static void put(Map<String, String> files, JsonMapper mapper, String name, Object content) {
        files.put(name, mapper.writeValueAsString(content) + "\n");
    }

    private static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String hex(byte[] b) {
        return Hex.encode(b);
    }

    private static Bytes32 h(String s) {
        return Keccak.hash(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("golden vector self-check failed: " + what);
        }
    }

    static Object domainTags() {
        List<Object> tags = new ArrayList<>();
        for (String name : DomainTags.NAMES) {
            String preimage = "cortado/" + name + "/v1";
            tags.add(obj("name", name, "preimage", preimage, "tag", DomainTags.tag(name).toHex()));
        }
        return obj("tags", tags);
    }

    static Object digests() {
        long[] chains = {1, CHAIN_ID, 0xffff_ffffL};
        long[] views = {0, 1, 123_456_789L};
        List<Object> quorum = new ArrayList<>();
        List<Object> timeout = new ArrayList<>();
        List<Object> da = new ArrayList<>();
        List<Object> lc = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long chain = chains[i];
            View view = View.of(views[i]);
            Bytes32 a = h("digest-a-" + i);
            Bytes32 b = h("digest-b-" + i);
            byte[] qEnc = Abi.encode(DomainTags.QUORUM_VOTE, chain, view, a);
            Bytes32 q = dev.cortado.protocol.codec.Digests.quorumVote(chain, view, a);
            require(q.equals(Keccak.hash(qEnc)), "quorum vote");
            quorum.add(obj("chainId", chain, "view", view.value(), "leafCommitment", a.toHex(),
                    "encoding", hex(qEnc), "digest", q.toHex()));
            byte[] tEnc = Abi.encode(DomainTags.TIMEOUT_VOTE, chain, view);
            timeout.add(obj("chainId", chain, "view", view.value(), "encoding", hex(tEnc),
                    "digest", dev.cortado.protocol.codec.Digests.timeoutVote(chain, view).toHex()));
            byte[] dEnc = Abi.encode(DomainTags.DA_VOTE, chain, view, a, b);
            da.add(obj("chainId", chain, "view", view.value(), "payloadRoot", a.toHex(), "vidRoot", b.toHex(),
                    "encoding", hex(dEnc), "digest", dev.cortado.protocol.codec.Digests.daVote(chain, view, a, b).toHex()));
            Height height = Height.of(views[i] / 2);
            byte[] lEnc = Abi.encode(DomainTags.LC_STATE, chain, view, height, a, b);
            lc.add(obj("chainId", chain, "view", view.value(), "height", height.value(), "blockCommRoot", a.toHex(),
                    "stakeTableComm", b.toHex(), "encoding", hex(lEnc),
                    "digest", dev.cortado.protocol.codec.Digests.lcState(chain, view, height, a, b).toHex()));
        }
        List<Object> pops = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            BlsPublicKey pk = StakeFixtures.key(i).publicKey();
            Address registrant = i == 0 ? REGISTRANT : Address.fromHex("0x" + "ab".repeat(20));
            byte[] enc = Abi.encode(DomainTags.POP, chains[i], STAKE_TABLE, registrant, Keccak.hash(pk.toEip2537()));
            pops.add(obj("l1ChainId", chains[i], "stakeTable", STAKE_TABLE.toHex(), "registrant", registrant.toHex(),
                    "pkEip2537", hex(pk.toEip2537()), "pkHash", Keccak.hash(pk.toEip2537()).toHex(),
                    "encoding", hex(enc), "digest", dev.cortado.protocol.codec.Digests.pop(chains[i], STAKE_TABLE,
                            registrant, pk.toEip2537()).toHex()));
        }
        return obj("quorumVote", quorum, "timeoutVote", timeout, "daVote", da, "lcState", lc, "pop", pops);
    }

    static Object abi() {
        List<Object> cases = new ArrayList<>();
        Bytes32 b = h("abi");
        Address addr = Address.fromHex("0x00112233445566778899aabbccddeeff00112233");
        BigInteger big = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
        cases.add(obj("types", List.of("uint64"), "values", List.of("0"), "encoding", hex(Abi.encoder().uint64(0).build())));
        cases.add(obj("types", List.of("uint64"), "values", List.of(Long.toString(Long.MAX_VALUE)),
                "encoding", hex(Abi.encoder().uint64(Long.MAX_VALUE).build())));
        cases.add(obj("types", List.of("uint256"), "values", List.of(big.toString()),
                "encoding", hex(Abi.encoder().uint256(big).build())));
        cases.add(obj("types", List.of("uint256", "bytes32", "bool", "bool", "address"),
                "values", List.of("1000000000", b.toHex(), "true", "false", addr.toHex()),
                "encoding", hex(Abi.encoder().uint256(1_000_000_000L).bytes32(b).bool(true).bool(false).address(addr).build())));
        byte[] packed = Abi.encodePacked(b, h("abi-2"));
        Map<String, Object> packedCase = obj("types", List.of("bytes32", "bytes32"),
                "values", List.of(b.toHex(), h("abi-2").toHex()), "encodePacked", hex(packed),
                "keccak", Keccak.hash(packed).toHex());
        return obj("encode", cases, "encodePacked", List.of(packedCase));
    }

    static Object merkle() {
        List<Object> trees = new ArrayList<>();
        for (int n : new int[] {0, 1, 2, 3, 5, 8, 13}) {
            List<Bytes32> leaves = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                leaves.add(h("leaf-" + i));
            }
            Bytes32 root = MerkleTree.root(leaves);
            List<Object> proofs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                MerkleProof p = MerkleTree.proof(leaves, i);
                require(p.verify(leaves.get(i), root), "merkle proof");
                proofs.add(obj("index", i, "leafCount", n, "siblings", p.siblings().stream().map(Bytes32::toHex).toList()));
            }
            trees.add(obj("leaves", leaves.stream().map(Bytes32::toHex).toList(), "root", root.toHex(), "proofs", proofs));
        }
        return obj("trees", trees);
    }

    static Object hashToG1() {
        List<Object> cases = new ArrayList<>();
        List<byte[]> msgs = List.of(new byte[0], "abc".getBytes(StandardCharsets.US_ASCII), Bytes32.ZERO.bytes(),
                h("hash-to-g1-1").bytes(), h("hash-to-g1-2").bytes());
        for (String dst : List.of(Bls.SIGNATURE_DST, Bls.POP_DST, "QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_RO_")) {
            for (byte[] msg : msgs) {
                java.math.BigInteger[] u = HashToField.hashToField(msg, dst);
                cases.add(obj("dst", dst, "msg", hex(msg), "u0", hex(HashToField.fpEip2537(u[0])),
                        "u1", hex(HashToField.fpEip2537(u[1])), "point", hex(HashToG1.hash(msg, dst).toEip2537())));
            }
        }
        return obj("cases", cases);
    }

    static Object signatures() {
        List<Object> single = new ArrayList<>();
        List<BlsSignature> sigs = new ArrayList<>();
        List<BlsPublicKey> pks = new ArrayList<>();
        Bytes32 shared = h("shared-message");
        for (int i = 0; i < 3; i++) {
            BlsKeyPair kp = StakeFixtures.key(i);
            Bytes32 digest = h("signature-" + i);
            BlsSignature sig = Bls.sign(kp.secretKey(), digest);
            require(Bls.verify(kp.publicKey(), digest, sig), "signature");
            single.add(obj("seed", h("cortado/test-key/" + i).toHex(), "pk", kp.publicKey().toHex(),
                    "pkEip2537", hex(kp.publicKey().toEip2537()), "digest", digest.toHex(),
                    "hashedDigest", hex(HashToG1.hash(digest.bytes(), Bls.SIGNATURE_DST).toEip2537()),
                    "signature", sig.toHex(), "signatureEip2537", hex(sig.toEip2537())));
            pks.add(kp.publicKey());
            sigs.add(Bls.sign(kp.secretKey(), shared));
        }
        BlsSignature agg = Bls.aggregate(sigs);
        BlsPublicKey apk = Bls.sumKeys(pks);
        require(Bls.fastAggregateVerify(apk, shared, agg), "aggregate");
        Map<String, Object> aggregate = obj("pks", pks.stream().map(k -> hex(k.toEip2537())).toList(),
                "aggKeyEip2537", hex(apk.toEip2537()), "digest", shared.toHex(),
                "hashedDigest", hex(HashToG1.hash(shared.bytes(), Bls.SIGNATURE_DST).toEip2537()),
                "signatureEip2537", hex(agg.toEip2537()));
        return obj("dst", Bls.SIGNATURE_DST, "single", single, "aggregate", aggregate);
    }

    static Object pop() {
        List<Object> cases = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            BlsKeyPair kp = StakeFixtures.key(i);
            BlsSignature proof = Bls.popProve(kp.secretKey(), L1_CHAIN_ID, STAKE_TABLE, REGISTRANT, kp.publicKey());
            require(Bls.popVerify(kp.publicKey(), L1_CHAIN_ID, STAKE_TABLE, REGISTRANT, proof), "pop");
            Bytes32 digest = dev.cortado.protocol.codec.Digests.pop(L1_CHAIN_ID, STAKE_TABLE, REGISTRANT,
                    kp.publicKey().toEip2537());
            cases.add(obj("pk", kp.publicKey().toHex(), "pkEip2537", hex(kp.publicKey().toEip2537()),
                    "digest", digest.toHex(), "hashedDigest", hex(HashToG1.hash(digest.bytes(), Bls.POP_DST).toEip2537()),
                    "pop", proof.toHex(), "popEip2537", hex(proof.toEip2537())));
        }
        // Key 0's proof replayed for another registrant must fail: the registrant is bound in.
        BlsKeyPair kp = StakeFixtures.key(0);
        Address other = Address.fromHex("0x000000000000000000000000000000000000beef");
        BlsSignature proof = Bls.popProve(kp.secretKey(), L1_CHAIN_ID, STAKE_TABLE, REGISTRANT, kp.publicKey());
        require(!Bls.popVerify(kp.publicKey(), L1_CHAIN_ID, STAKE_TABLE, other, proof), "replayed pop");
        Map<String, Object> replay = obj("registrant", other.toHex(), "pkEip2537", hex(kp.publicKey().toEip2537()),
                "popEip2537", hex(proof.toEip2537()), "valid", false);
        return obj("dst", Bls.POP_DST, "l1ChainId", L1_CHAIN_ID, "stakeTable", STAKE_TABLE.toHex(),
                "registrant", REGISTRANT.toHex(), "valid", cases,
                "invalid", List.of(replay));
    }

    static Map<String, Object> stakeTableJson(StakeTable table) {
        List<Object> entries = new ArrayList<>();
        for (int i = 0; i < table.size(); i++) {
            var e = table.entry(i);
            MerkleProof p = table.membershipProof(i);
            require(p.verify(table.leaf(i), table.merkleRoot()), "stake leaf proof");
            entries.add(obj("index", i, "pkEip2537", hex(e.key().toEip2537()), "pkHash", Keccak.hash(e.key().toEip2537()).toHex(),
                    "stakeGwei", e.stakeGwei(), "isDa", e.daMember(), "leaf", table.leaf(i).toHex(),
                    "siblings", p.siblings().stream().map(Bytes32::toHex).toList()));
        }
        byte[] agg = table.aggregateKey().toEip2537();
        return obj("count", table.size(), "totalStakeGwei", table.totalStakeGwei(),
                "committeeStakeGwei", table.committeeStakeGwei(), "root", table.merkleRoot().toHex(),
                "aggKeyEip2537", hex(agg), "aggKeyHash", Keccak.hash(agg).toHex(),
                "commitment", table.commitment().toHex(), "entries", entries);
    }

    static Object stakeTables() {
        List<Object> tables = new ArrayList<>();
        for (int n : new int[] {1, 3, 10}) {
            tables.add(stakeTableJson(StakeFixtures.table(StakeFixtures.keys(n))));
        }
        return obj("tables", tables);
    }

    static Map<String, Object> nonSignerJson(NonSignerData data) {
        List<Object> ns = new ArrayList<>();
        for (NonSignerData.NonSigner n : data.nonSigners()) {
            ns.add(obj("index", n.index(), "pkEip2537", hex(n.pkEip2537()), "stakeGwei", n.stakeGwei(), "isDa", n.isDa(),
                    "siblings", n.siblings().stream().map(Bytes32::toHex).toList()));
        }
        return obj("aggKeyEip2537", hex(data.aggKeyEip2537()), "root", data.root().toHex(), "count", data.count(),
                "totalStakeGwei", data.totalStakeGwei(), "nonSigners", ns);
    }

    static Object lightClient() {
        List<BlsKeyPair> keys = StakeFixtures.keys(10);
        StakeTable table = StakeFixtures.table(keys);
        LightClientState state = new LightClientState(View.of(42), Height.of(17), h("block-comm-root"), table.commitment());
        Bytes32 digest = state.digest(CHAIN_ID);
        SignerBitmap signers = SignerBitmap.full(10).without(6);
        AggregateCertificate cert = CertFixtures.sign(keys, ThresholdKind.QUORUM, digest, signers);
        LightClientCertificate valid = new LightClientCertificate(state, cert);
        require(valid.verify(table, CHAIN_ID).isValid(), "valid light-client certificate");
        // Same signature, but signer 1's bit cleared: stake still suffices, the pairing check must fail.
        LightClientCertificate flipped = new LightClientCertificate(state,
                new AggregateCertificate(ThresholdKind.QUORUM, digest, signers.without(1), cert.signature()));
        Verdict v = flipped.verify(table, CHAIN_ID);
        require(v.reason() == Verdict.Reason.BAD_SIGNATURE, "flipped certificate fails on the signature: " + v);
        List<Object> cases = new ArrayList<>();
        for (LightClientCertificate c : List.of(valid, flipped)) {
            Verdict verdict = c.verify(table, CHAIN_ID);
            cases.add(obj("valid", verdict.isValid(), "reason", verdict.reason().name(),
                    "signerBitmap", hex(c.cert().signers().toBytes()), "signatureEip2537", hex(c.cert().signature().toEip2537()),
                    "nonSignerData", nonSignerJson(c.nonSignerData(table))));
        }
        Map<String, Object> stateJson = obj("view", state.view().value(), "height", state.height().value(),
                "blockCommRoot", state.blockCommRoot().toHex(), "stakeTableComm", state.stakeTableComm().toHex());
        return obj("chainId", CHAIN_ID, "stakeTable", stakeTableJson(table), "state", stateJson, "digest", digest.toHex(),
                "hashedDigest", hex(HashToG1.hash(digest.bytes(), Bls.SIGNATURE_DST).toEip2537()), "certificates", cases);
    }
}
