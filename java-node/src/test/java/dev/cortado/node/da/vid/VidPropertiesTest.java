package dev.cortado.node.da.vid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class VidPropertiesTest {
    static final int FIVE_MB = 5 * 1024 * 1024;

    @Provide
    Arbitrary<Integer> payloadSizes() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of(0, 1, 2, 3, 7, 8, 9, 21, 22, 23, 4095, 4096, 4097,
                        FIVE_MB - 1, FIVE_MB)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 70_000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, FIVE_MB)));
    }

    @Provide
    Arbitrary<Integer> shareCounts() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of(1, 2, 3, 4, 7, 10, 31)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 300)));
    }

    @Property(tries = 40)
    void anyKSharesRecoverThePayload(@ForAll("payloadSizes") int size, @ForAll("shareCounts") int n,
            @ForAll long seed) throws InconsistentDispersalException {
        Random rnd = new Random(seed);
        byte[] payload = new byte[size];
        rnd.nextBytes(payload);
        Vid vid = new Vid(n);
        VidDispersal d = vid.disperse(payload);
        assertEquals(size, d.commitment().payloadBytes());

        List<VidShare> shares = new ArrayList<>(d.shares());
        Collections.shuffle(shares, rnd);
        int take = vid.dataShareCount() + rnd.nextInt(n - vid.dataShareCount() + 1);
        List<VidShare> subset = shares.subList(0, take);
        for (VidShare s : subset) {
            assertEquals(true, vid.verifyShare(d.commitment(), s));
        }
        assertArrayEquals(payload, vid.recover(d.commitment(), subset));
    }

    @Property(tries = 60)
    void anyTamperedShareFailsItsProof(@ForAll("shareCounts") int n, @ForAll long seed) {
        Random rnd = new Random(seed);
        byte[] payload = new byte[1 + rnd.nextInt(5000)];
        rnd.nextBytes(payload);
        Vid vid = new Vid(n);
        VidDispersal d = vid.disperse(payload);
        VidShare s = d.share(rnd.nextInt(n));
        byte[] data = s.data();
        data[rnd.nextInt(data.length)] ^= (byte) (1 + rnd.nextInt(255));
        assertEquals(false, vid.verifyShare(d.commitment(), new VidShare(s.index(), data, s.proof())));
    }
}
