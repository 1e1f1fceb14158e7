package dev.cortado.node.mempool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MempoolBatchTest {
    private static final MempoolLimits SMALL = new MempoolLimits(300, 2_000, 6_000, 40);

    @Test
    void aBatchIsAnsweredEntryByEntryAsSingleSubmissionsWouldBe() {
        Random random = new Random(3);
        for (int round = 0; round < 50; round++) {
            Set<Bytes32> decided = new HashSet<>();
            Mempool one = new Mempool(SMALL, decided::contains);
            Mempool batched = new Mempool(SMALL, decided::contains);
            List<Mempool.Submission> batch = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                // Few distinct contents and namespaces, so batches repeat entries, fill namespaces and the pool.
                long namespace = random.nextInt(10) == 0 ? -1 : random.nextInt(3);
                byte[] payload = new byte[random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(320)];
                if (payload.length > 0) {
                    payload[0] = (byte) random.nextInt(4);
                }
                batch.add(new Mempool.Submission(namespace, payload));
                if (random.nextInt(8) == 0 && payload.length > 0 && namespace >= 0) {
                    decided.add(PendingTx.of(namespace, payload).hash());
                }
            }
            List<SubmitResult> expected = batch.stream().map(s -> one.submit(s.namespace(), s.payload())).toList();
            assertEquals(expected, batched.submitAll(batch), "round " + round);
            assertEquals(one.size(), batched.size());
            assertEquals(one.totalBytes(), batched.totalBytes());
        }
    }

    @Test
    void aBlockDecidedWhileTheBatchIsLookedUpIsNotAdmittedAgain() {
        byte[] payload = {1, 2, 3};
        Bytes32 hash = PendingTx.of(7, payload).hash();
        Set<Bytes32> index = new HashSet<>();
        Mempool[] pool = new Mempool[1];
        // The batched read answers "not decided"; before the batch takes the monitor, the block holding the
        // transaction is decided: the store's index gains it, then the node drops it from the pool.
        DecidedIndex racing = new DecidedIndex() {
            @Override
            public boolean contains(Bytes32 h) {
                return index.contains(h);
            }

            @Override
            public boolean[] containsAll(List<Bytes32> hashes) {
                boolean[] answer = DecidedIndex.super.containsAll(hashes);
                index.add(hash);
                pool[0].removeDecided(List.of(hash));
                return answer;
            }
        };
        pool[0] = new Mempool(MempoolLimits.defaults(), racing);
        List<SubmitResult> r = pool[0].submitAll(List.of(new Mempool.Submission(7, payload)));
        assertEquals(List.of(new SubmitResult.Duplicate(hash)), r);
        assertEquals(0, pool[0].size(), "an admitted copy would be decided a second time");
    }
}
