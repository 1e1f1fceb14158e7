package dev.cortado.settlement.lightclient;

import dev.cortado.protocol.cert.NonSignerData;
import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.DomainTags;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.merkle.MerkleTree;
import dev.cortado.protocol.types.Bytes32;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code absent} argument of {@code LightClient.newFinalizedState}: the members who did not sign,
 * packed, with one Merkle multiproof for all of them (docs/architecture.md, "Light-client certificate
 * calldata"; the contract side is {@code contracts/src/lib/AbsentSigners.sol}). Empty when everyone
 * signed, else {@code uint16 k ‖ k × (uint16 index ‖ uint64 stakeGwei ‖ uint8 isDa ‖ 192-byte key) ‖
 * m × bytes32 sibling}, big-endian; the key is the EIP-2537 G2 point without the 16 zero bytes before
 * each of its four field elements. Siblings go level by level from the leaves up, by ascending node
 * index within a level; a node both of whose children are known is computed, never sent.
 *
 * <p>{@link #encode} derives the multiproof from the members' single paths, so a node's answer keeps
 * its per-member form. {@link #verify} is the Java twin of the contract's check: the same rules in the
 * same order, refusing with the contract's error name and arguments.
 */
public final class AbsentMembers {
    static final int HEADER_BYTES = 2;
    static final int KEY_BYTES = 192;
    static final int RECORD_BYTES = 2 + 8 + 1 + KEY_BYTES;
    private static final int FIELD_BYTES = 48;
    private static final int FIELD_PAD = 16;
    private static final int G2_BYTES = 256;

    private AbsentMembers() {
    }

    /**
     * One decoded record: the leaf preimage, with the key back in its 256-byte EIP-2537 form;
     * {@code stakeGwei} is the record's uint64, read unsigned.
     */
    public record Member(int index, long stakeGwei, boolean isDa, byte[] pkEip2537) {
        public Member {
            pkEip2537 = pkEip2537.clone();
        }

        @Override
        public byte[] pkEip2537() {
            return pkEip2537.clone();
        }
    }

    /**
     * An encoding LightClient.sol refuses, with the custom error it reverts with: {@code signature} is
     * e.g. {@code LightClient__AbsentCount(uint256,uint256)} and each argument a {@code Long} (uint256)
     * or a {@link Bytes32}.
     */
    public static final class Refused extends IllegalArgumentException {
        private final String signature;
        private final List<Object> arguments;

        Refused(String signature, Object... arguments) {
            super(signature + " " + Arrays.toString(arguments));
            this.signature = signature;
            this.arguments = List.of(arguments);
        }

        public String signature() {
            return signature;
        }

        public List<Object> arguments() {
            return arguments;
        }
    }

    /** The packed absent members of {@code data} (ascending index, single paths) with their multiproof. */
    public static byte[] encode(NonSignerData data) {
        List<NonSignerData.NonSigner> absent = data.nonSigners();
        if (absent.isEmpty()) {
            return new byte[0];
        }
        if (absent.size() > 0xffff) {
            throw new IllegalArgumentException(absent.size() + " absent members do not fit the uint16 count");
        }
        int depth = MerkleTree.depth(data.count());
        int[] indexes = new int[absent.size()];
        List<List<Bytes32>> paths = new ArrayList<>(absent.size());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) (absent.size() >>> 8), (byte) absent.size()});
        for (int i = 0; i < absent.size(); i++) {
            NonSignerData.NonSigner ns = absent.get(i);
            if (ns.index() < 0 || ns.index() > 0xffff || (i > 0 && ns.index() <= indexes[i - 1])) {
                throw new IllegalArgumentException("absent index " + ns.index() + " is not ascending in uint16");
            }
            if (ns.siblings().size() != depth) {
                throw new IllegalArgumentException("absent member " + ns.index() + " has " + ns.siblings().size()
                        + " siblings, the table needs " + depth);
            }
            indexes[i] = ns.index();
            paths.add(ns.siblings());
            out.writeBytes(ByteBuffer.allocate(11).putShort((short) ns.index()).putLong(ns.stakeGwei())
                    .put((byte) (ns.isDa() ? 1 : 0)).array());
            out.writeBytes(packKey(ns.pkEip2537()));
        }
        for (Bytes32 sibling : multiproof(indexes, paths, depth)) {
            out.writeBytes(sibling.bytes());
        }
        return out.toByteArray();
    }

    /**
     * The multiproof siblings, in the canonical order, for the strictly ascending leaf {@code indexes},
     * taken from their single paths ({@code paths.get(i)} from the leaf upward, {@code depth} long).
     */
    static List<Bytes32> multiproof(int[] indexes, List<List<Bytes32>> paths, int depth) {
        List<Bytes32> siblings = new ArrayList<>();
        int[] known = indexes.clone();
        // owner[j]: a member under known node j, whose path holds j's sibling at this level.
        int[] owner = new int[known.length];
        for (int i = 0; i < owner.length; i++) {
            owner[i] = i;
        }
        int n = known.length;
        for (int level = 0; level < depth; level++) {
            int w = 0;
            for (int r = 0; r < n; w++) {
                boolean paired = (known[r] & 1) == 0 && r + 1 < n && known[r + 1] == known[r] + 1;
                if (!paired) {
                    siblings.add(paths.get(owner[r]).get(level));
                }
                known[w] = known[r] >>> 1;
                owner[w] = owner[r];
                r += paired ? 2 : 1;
            }
            n = w;
        }
        return siblings;
    }

    /**
     * Checks {@code absent} as LightClient.sol does against a table of {@code count} leaves under
     * {@code root} and returns its members; the stake threshold and the key sum are the caller's.
     *
     * @throws Refused with the contract's error when the contract would revert
     */
    public static List<Member> verify(byte[] absent, Bytes32 root, long count) {
        if (absent.length == 0) {
            return List.of();
        }
        int k = absent.length < HEADER_BYTES ? 0 : ((absent[0] & 0xff) << 8) | (absent[1] & 0xff);
        if (k == 0 || k > count) {
            throw new Refused("LightClient__AbsentCount(uint256,uint256)", (long) k, count);
        }
        long recordsEnd = HEADER_BYTES + (long) k * RECORD_BYTES;
        if (absent.length < recordsEnd || (absent.length - recordsEnd) % 32 != 0) {
            throw new Refused("LightClient__AbsentLength(uint256,uint256)", (long) k, (long) absent.length);
        }
        List<Member> members = new ArrayList<>(k);
        ByteBuffer in = ByteBuffer.wrap(absent, HEADER_BYTES, (int) recordsEnd - HEADER_BYTES);
        Bytes32[] nodes = new Bytes32[k];
        int[] known = new int[k];
        for (int i = 0; i < k; i++) {
            int index = in.getShort() & 0xffff;
            long stake = in.getLong();
            int flag = in.get() & 0xff;
            byte[] packed = new byte[KEY_BYTES];
            in.get(packed);
            if (i > 0 && index <= known[i - 1]) {
                throw new Refused("LightClient__NonSignerOrder(uint256,uint256)", (long) known[i - 1], (long) index);
            }
            if (index >= count) {
                throw new Refused("LightClient__NonSignerOutOfRange(uint256,uint256)", (long) index, count);
            }
            if (flag > 1) {
                throw new Refused("LightClient__NonSignerFlag(uint256,uint256)", (long) index, (long) flag);
            }
            Member m = new Member(index, stake, flag == 1, unpackKey(packed));
            members.add(m);
            known[i] = index;
            nodes[i] = leaf(m);
        }
        Bytes32 computed = root(nodes, known, MerkleTree.depth(count), absent, (int) recordsEnd);
        if (!computed.equals(root)) {
            throw new Refused("LightClient__NonSignersNotInTable(bytes32,bytes32)", root, computed);
        }
        return List.copyOf(members);
    }

    private static Bytes32 root(Bytes32[] nodes, int[] known, int depth, byte[] absent, int siblingsAt) {
        int given = (absent.length - siblingsAt) / 32;
        int used = 0;
        int n = nodes.length;
        for (int level = 0; level < depth; level++) {
            int w = 0;
            for (int r = 0; r < n; w++) {
                int index = known[r];
                Bytes32 parent;
                if ((index & 1) == 0 && r + 1 < n && known[r + 1] == index + 1) {
                    parent = Keccak.hashPair(nodes[r], nodes[r + 1]);
                    r += 2;
                } else {
                    // Past the given siblings the contract keeps counting with zeros, to report the need.
                    Bytes32 sibling = used < given
                            ? Bytes32.of(Arrays.copyOfRange(absent, siblingsAt + 32 * used, siblingsAt + 32 * used + 32))
                            : Bytes32.ZERO;
                    used++;
                    parent = (index & 1) == 1 ? Keccak.hashPair(sibling, nodes[r]) : Keccak.hashPair(nodes[r], sibling);
                    r += 1;
                }
                known[w] = index >>> 1;
                nodes[w] = parent;
            }
            n = w;
        }
        if (used != given) {
            throw new Refused("LightClient__MultiproofSiblings(uint256,uint256)", (long) used, (long) given);
        }
        return nodes[0];
    }

    /** The stake leaf of docs/architecture.md, "Stake table commitment". */
    static Bytes32 leaf(Member m) {
        return Abi.encoder().bytes32(DomainTags.STAKE_LEAF).uint256(m.index()).bytes32(Keccak.hash(m.pkEip2537()))
                .uint256(new BigInteger(Long.toUnsignedString(m.stakeGwei()))).bool(m.isDa()).hash();
    }

    /** The 256-byte EIP-2537 G2 key without its four 16-byte zero pads. */
    static byte[] packKey(byte[] pkEip2537) {
        if (pkEip2537.length != G2_BYTES) {
            throw new IllegalArgumentException("a G2 key is " + G2_BYTES + " bytes, got " + pkEip2537.length);
        }
        byte[] packed = new byte[KEY_BYTES];
        for (int j = 0; j < 4; j++) {
            for (int b = 0; b < FIELD_PAD; b++) {
                if (pkEip2537[j * 64 + b] != 0) {
                    throw new IllegalArgumentException("G2 key field element " + j + " has a non-zero pad byte");
                }
            }
            System.arraycopy(pkEip2537, j * 64 + FIELD_PAD, packed, j * FIELD_BYTES, FIELD_BYTES);
        }
        return packed;
    }

    static byte[] unpackKey(byte[] packed) {
        byte[] key = new byte[G2_BYTES];
        for (int j = 0; j < 4; j++) {
            System.arraycopy(packed, j * FIELD_BYTES, key, j * 64 + FIELD_PAD, FIELD_BYTES);
        }
        return key;
    }
}
