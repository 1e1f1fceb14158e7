package dev.cortado.devnet.contracts;

import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.assertReverts;
import static dev.cortado.devnet.contracts.support.Chain.b32;
import static dev.cortado.devnet.contracts.support.Chain.error;
import static dev.cortado.devnet.contracts.support.Chain.ok;
import static dev.cortado.devnet.contracts.support.Chain.tm;
import static dev.cortado.devnet.contracts.support.Chain.u;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.contracts.generated.LightClient;
import dev.cortado.devnet.contracts.support.TestStakeTable;
import dev.cortado.devnet.contracts.support.TestStakeTable.Certificate;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.lightclient.AbsentMembers;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The packed absent members and their multiproof (lib/AbsentSigners.sol) on a live Anvil: Java builds
 * the calldata, the contract accepts it for random absent sets, and every hostile mutation is refused
 * by the contract with exactly the error (and arguments) the Java twin {@link AbsentMembers#verify}
 * predicts.
 */
class LightClientMultiproofTest {
    private static final long CHAIN = 4243;
    private static final String ZERO = "0x0000000000000000000000000000000000000000";
    private static final int RECORD = 203;

    private static L1Devnet l1;
    private static Credentials owner;

    @BeforeAll
    static void start() {
        l1 = L1Devnet.startAnvil();
        owner = l1.accounts().get(0);
    }

    @AfterAll
    static void stop() {
        l1.close();
    }

    private static Bytes32 root(String label) {
        return Keccak.hash(label.getBytes(StandardCharsets.UTF_8));
    }

    private static LightClient deploy(TestStakeTable t) throws Exception {
        return LightClient.deploy(l1.web3j(), tm(l1, owner), GAS, owner.getAddress(), BigInteger.valueOf(CHAIN),
                TestStakeTable.state(0, 0, root("genesis"), t.commitment()), BigInteger.valueOf(8), ZERO).send();
    }

    private static Certificate cert(TestStakeTable t, long height, Set<Integer> absent) {
        return t.certify(CHAIN, TestStakeTable.state(height, height, root("h" + height), t.commitment()), absent);
    }

    private static org.web3j.protocol.core.RemoteFunctionCall<TransactionReceipt> submit(LightClient lc, Certificate c, byte[] absent) {
        return lc.newFinalizedState(c.state(), c.table(), c.signature(), absent);
    }

    /** The revert data the contract must answer for an encoding its Java twin refuses. */
    private static String predicted(TestStakeTable t, byte[] absent) {
        AbsentMembers.Refused r = assertThrows(AbsentMembers.Refused.class,
                () -> AbsentMembers.verify(absent, t.root(), t.size()));
        Type<?>[] args = r.arguments().stream()
                .map(a -> a instanceof Bytes32 b ? (Type<?>) b32(b.bytes()) : u((Long) a)).toArray(Type<?>[]::new);
        return error(r.signature(), args);
    }

    /** Java twin and contract agree, and both give {@code expected}. */
    private static void refused(LightClient lc, TestStakeTable t, Certificate c, byte[] absent, String expected) {
        assertEquals(expected, predicted(t, absent), "the Java twin's verdict");
        assertReverts(l1, owner, lc, submit(lc, c, absent), expected);
    }

    private static byte[] concat(byte[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static byte[] record(byte[] absent, int i) {
        return Arrays.copyOfRange(absent, 2 + RECORD * i, 2 + RECORD * (i + 1));
    }

    @Test
    void refusesEveryMalformedOrForgedEncodingWithItsValues() throws Exception {
        TestStakeTable t = TestStakeTable.withStakes(3, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10);
        LightClient lc = deploy(t);
        Certificate c = cert(t, 1, Set.of(2, 3));
        byte[] good = c.absent();
        int siblingsAt = 2 + 2 * RECORD;
        // Leaves 2 and 3 of 16 are siblings: only levels 1..3 need one sibling each.
        assertEquals(siblingsAt + 3 * 32, good.length);

        refused(lc, t, c, new byte[] {0, 0}, error("LightClient__AbsentCount(uint256,uint256)", u(0), u(10)));
        refused(lc, t, c, new byte[] {7}, error("LightClient__AbsentCount(uint256,uint256)", u(0), u(10)));
        refused(lc, t, c, new byte[] {0, 11}, error("LightClient__AbsentCount(uint256,uint256)", u(11), u(10)));
        refused(lc, t, c, Arrays.copyOf(good, good.length - 1),
                error("LightClient__AbsentLength(uint256,uint256)", u(2), u(good.length - 1)));
        refused(lc, t, c, Arrays.copyOf(good, siblingsAt - 1),
                error("LightClient__AbsentLength(uint256,uint256)", u(2), u(siblingsAt - 1)));

        byte[] header = {0, 2};
        byte[] siblings = Arrays.copyOfRange(good, siblingsAt, good.length);
        refused(lc, t, c, concat(header, record(good, 1), record(good, 0), siblings),
                error("LightClient__NonSignerOrder(uint256,uint256)", u(3), u(2)));
        // The same member twice would subtract its stake twice.
        refused(lc, t, c, concat(header, record(good, 0), record(good, 0), siblings),
                error("LightClient__NonSignerOrder(uint256,uint256)", u(2), u(2)));
        byte[] outside = good.clone();
        outside[2 + RECORD] = 0;
        outside[2 + RECORD + 1] = 10;
        refused(lc, t, c, outside, error("LightClient__NonSignerOutOfRange(uint256,uint256)", u(10), u(10)));
        byte[] flag = good.clone();
        flag[2 + 10] = 2;
        refused(lc, t, c, flag, error("LightClient__NonSignerFlag(uint256,uint256)", u(2), u(2)));

        refused(lc, t, c, Arrays.copyOf(good, good.length - 32),
                error("LightClient__MultiproofSiblings(uint256,uint256)", u(3), u(2)));
        refused(lc, t, c, concat(good, new byte[32]), error("LightClient__MultiproofSiblings(uint256,uint256)",
                u(3), u(4)));

        // A lighter member, a flipped sibling: the root no longer matches; the computed one is reported.
        byte[] lighter = good.clone();
        lighter[2 + 9] ^= 1;
        refused(lc, t, c, lighter, predictedNotInTable(t, lighter));
        byte[] flipped = good.clone();
        flipped[siblingsAt + 31] ^= 1;
        refused(lc, t, c, flipped, predictedNotInTable(t, flipped));
        ok(submit(lc, c, good));
    }

    /** The NonSignersNotInTable revert, written out so the error-coverage test sees it asserted. */
    private static String predictedNotInTable(TestStakeTable t, byte[] absent) {
        AbsentMembers.Refused r = assertThrows(AbsentMembers.Refused.class,
                () -> AbsentMembers.verify(absent, t.root(), t.size()));
        assertEquals("LightClient__NonSignersNotInTable(bytes32,bytes32)", r.signature());
        return error("LightClient__NonSignersNotInTable(bytes32,bytes32)", b32(t.root().bytes()),
                b32(((Bytes32) r.arguments().get(1)).bytes()));
    }

    /** The absent sets of the property: none, one, first, last, adjacent, all-but-quorum, random. */
    private static List<Set<Integer>> absentSets(TestStakeTable t, Random rnd) {
        int n = t.size();
        List<Set<Integer>> sets = new ArrayList<>();
        sets.add(Set.of());
        sets.add(Set.of(rnd.nextInt(n)));
        sets.add(Set.of(0));
        sets.add(Set.of(n - 1));
        if (n >= 2) {
            sets.add(Set.of(0, n - 1));
            int i = rnd.nextInt(n - 1);
            sets.add(Set.of(i, i + 1));
        }
        if (n >= 4) {
            sets.add(Set.of(n - 2, n - 1, 1, 2));
        }
        // As many as can stay away while more than 2/3 still sign, in a random order.
        List<Integer> order = new ArrayList<>(IntStream.range(0, n).boxed().toList());
        Collections.shuffle(order, rnd);
        long total = t.totalStakeGwei();
        long absentStake = 0;
        Set<Integer> allButQuorum = new TreeSet<>();
        for (int i : order) {
            long stake = t.members().get(i).stakeGwei();
            if (3 * (total - absentStake - stake) > 2 * total) {
                allButQuorum.add(i);
                absentStake += stake;
            }
        }
        sets.add(allButQuorum);
        Set<Integer> random = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            if (rnd.nextInt(4) == 0) {
                random.add(i);
            }
        }
        sets.add(random);
        return sets;
    }

    @Test
    void multiproofsBuiltInJavaVerifyOnChainAndEveryMutationIsRefusedAsPredicted() throws Exception {
        Random rnd = new Random(20261203);
        int height = 0;
        int accepted = 0;
        int mutated = 0;
        for (int n : new int[] {1, 2, 5, 16, 37}) {
            TestStakeTable t = TestStakeTable.random(n, 100 + n);
            LightClient lc = deploy(t);
            for (Set<Integer> absentSet : absentSets(t, rnd)) {
                ++height;
                // Nobody left to sign: any signature will do, the stake check refuses first.
                byte[] absent = t.absent(absentSet);
                Certificate c = absentSet.size() == n ? cert(t, height, Set.of()) : cert(t, height, absentSet);
                assertEquals(new TreeSet<>(absentSet), new TreeSet<>(AbsentMembers.verify(absent, t.root(), n).stream()
                        .map(AbsentMembers.Member::index).toList()), "the Java twin decodes the set");
                long absentStake = absentSet.stream().mapToLong(i -> t.members().get(i).stakeGwei()).sum();
                long total = t.totalStakeGwei();
                String label = "n=" + n + " absent=" + absentSet;
                if (3 * (total - absentStake) <= 2 * total) {
                    assertReverts(l1, owner, lc, submit(lc, c, absent), error(
                            "LightClient__InsufficientStake(uint256,uint256)", u(total - absentStake), u(total)));
                    continue;
                }
                mutated += mutations(lc, t, c, absent, rnd, label);
                ok(submit(lc, c, absent));
                accepted++;
            }
        }
        // Every table's none, all-but-quorum and (from n = 5) single-member sets pass; most others too.
        assertTrue(accepted >= 25, "accepted " + accepted);
        assertTrue(mutated >= 40, "mutations refused " + mutated);
    }

    /** A flipped sibling, two records swapped, one record duplicated: each refused as predicted. */
    private static int mutations(LightClient lc, TestStakeTable t, Certificate c, byte[] absent, Random rnd,
            String label) {
        if (absent.length == 0) {
            return 0;
        }
        int count = 0;
        int k = ((absent[0] & 0xff) << 8) | (absent[1] & 0xff);
        int siblingsAt = 2 + k * RECORD;
        int siblingCount = (absent.length - siblingsAt) / 32;
        if (siblingCount > 0) {
            byte[] flipped = absent.clone();
            flipped[siblingsAt + 32 * rnd.nextInt(siblingCount) + rnd.nextInt(32)] ^= (byte) (1 << rnd.nextInt(8));
            refused(lc, t, c, flipped, predictedNotInTable(t, flipped));
            count++;
        }
        if (k >= 2) {
            int i = rnd.nextInt(k - 1);
            byte[] swapped = absent.clone();
            System.arraycopy(record(absent, i + 1), 0, swapped, 2 + RECORD * i, RECORD);
            System.arraycopy(record(absent, i), 0, swapped, 2 + RECORD * (i + 1), RECORD);
            int lo = index(absent, i);
            int hi = index(absent, i + 1);
            refused(lc, t, c, swapped, error("LightClient__NonSignerOrder(uint256,uint256)", u(hi), u(lo)));
            byte[] duplicated = absent.clone();
            System.arraycopy(record(absent, i), 0, duplicated, 2 + RECORD * (i + 1), RECORD);
            refused(lc, t, c, duplicated, error("LightClient__NonSignerOrder(uint256,uint256)", u(lo), u(lo)));
            count += 2;
        }
        assertEquals(k, AbsentMembers.verify(absent, t.root(), t.size()).size(), label);
        return count;
    }

    private static int index(byte[] absent, int i) {
        return ((absent[2 + RECORD * i] & 0xff) << 8) | (absent[2 + RECORD * i + 1] & 0xff);
    }
}
