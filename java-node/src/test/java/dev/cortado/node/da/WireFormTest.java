package dev.cortado.node.da;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.da.vid.Vid;
import dev.cortado.node.da.vid.VidDispersal;
import dev.cortado.protocol.block.BlockPayload;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.stake.StakeFixtures;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WireFormTest {
    @Test
    void storedSharesRoundTripAndStillVerify() {
        for (int n : new int[] {1, 4, 7, 33}) {
            BlockPayload payload = DaFixtures.payload(n, 20);
            Vid vid = new Vid(n);
            VidDispersal d = vid.disperse(payload.bytes());
            for (int i = 0; i < n; i++) {
                StoredShare s = new StoredShare(d.commitment(), d.share(i));
                StoredShare back = StoredShare.decode(s.encode());
                assertEquals(d.commitment(), back.commitment());
                assertArrayEquals(d.share(i).data(), back.share().data());
                assertTrue(vid.verifyShare(back.commitment(), back.share()));
            }
        }
        VidDispersal empty = new Vid(4).disperse(new byte[0]);
        assertEquals(0, StoredShare.decode(new StoredShare(empty.commitment(), empty.share(2)).encode()).share().dataLength());
    }

    @Test
    void storedShareDecodingIsBounded() {
        VidDispersal d = new Vid(7).disperse(DaFixtures.payload(1, 10).bytes());
        byte[] enc = new StoredShare(d.commitment(), d.share(3)).encode();
        assertThrows(IllegalArgumentException.class, () -> StoredShare.decode(Arrays.copyOf(enc, enc.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> StoredShare.decode(Arrays.copyOf(enc, enc.length + 1)));
        assertThrows(IllegalArgumentException.class, () -> StoredShare.decode(new byte[10]));
        byte[] hugeLength = enc.clone();
        ByteBuffer.wrap(hugeLength).putInt(1 + 32 + 4 + 8 + 4, Integer.MAX_VALUE);
        assertThrows(IllegalArgumentException.class, () -> StoredShare.decode(hugeLength));
        byte[] badIndex = enc.clone();
        ByteBuffer.wrap(badIndex).putInt(1 + 32 + 4 + 8, 7);
        assertThrows(IllegalArgumentException.class, () -> StoredShare.decode(badIndex));
        byte[] badVersion = enc.clone();
        badVersion[0] = 9;
        assertThrows(IllegalArgumentException.class, () -> StoredShare.decode(badVersion));
        byte[] hugePayload = enc.clone();
        ByteBuffer.wrap(hugePayload).putLong(1 + 32 + 4, Long.MAX_VALUE);
        assertThrows(IllegalArgumentException.class, () -> StoredShare.decode(hugePayload));
    }

    @Test
    void daVotesRoundTrip() {
        var key = StakeFixtures.key(0);
        Bytes32 root = Bytes32.fromHex("0x" + "12".repeat(32));
        Bytes32 header = Bytes32.fromHex("0x" + "34".repeat(32));
        DaVote v = new DaVote(View.of(9), header, root, Bytes32.ZERO, 3,
                Bls.sign(key.secretKey(), dev.cortado.protocol.codec.Digests.daVoteForHeader(1, View.of(9), header, root, Bytes32.ZERO)));
        assertEquals(v, DaVote.decode(v.encode()));
        assertThrows(IllegalArgumentException.class, () -> DaVote.decode(Arrays.copyOf(v.encode(), DaVote.WIRE_BYTES - 1)));
        byte[] negative = v.encode();
        ByteBuffer.wrap(negative).putInt(104, -1);
        assertThrows(IllegalArgumentException.class, () -> DaVote.decode(negative));
    }
}
