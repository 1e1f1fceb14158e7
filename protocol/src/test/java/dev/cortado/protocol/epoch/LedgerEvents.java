package dev.cortado.protocol.epoch;

import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeFixtures;
import dev.cortado.protocol.stake.StakeTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Random StakeTable.sol event histories and the naive model they are checked against. */
final class LedgerEvents {
    private static final Map<Long, BlsPublicKey> KEYS = new ConcurrentHashMap<>();

    private LedgerEvents() {
    }

    static BlsPublicKey key(long id) {
        return KEYS.computeIfAbsent(id, i -> StakeFixtures.key(10_000 + i.intValue()).publicKey());
    }

    static ValidatorEvent.Joined join(long block, int log, long id, long stakeGwei, boolean isDa) {
        return new ValidatorEvent.Joined(block, log, id, key(id).toEip2537(), stakeGwei, isDa);
    }

    /** A valid history: blocks from {@code startBlock}, ids growing, exits only of active validators. */
    static List<ValidatorEvent> history(Random rnd, long startBlock, int blocks, int maxIds) {
        List<ValidatorEvent> out = new ArrayList<>();
        List<Long> active = new ArrayList<>();
        long nextId = 1;
        for (long b = startBlock; b < startBlock + blocks; b++) {
            int n = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(3) : 0;
            int log = rnd.nextInt(3);
            for (int k = 0; k < n; k++) {
                boolean leave = !active.isEmpty() && (nextId > maxIds || rnd.nextInt(3) == 0);
                if (leave) {
                    long id = active.remove(rnd.nextInt(active.size()));
                    out.add(new ValidatorEvent.Left(b, log, id));
                } else if (nextId <= maxIds) {
                    long id = nextId;
                    nextId += 1 + rnd.nextInt(2); // ids of registrations that reverted never appear
                    active.add(id);
                    out.add(join(b, log, id, (1 + rnd.nextInt(4)) * 32_000_000_000L, rnd.nextBoolean()));
                }
                log += 1 + rnd.nextInt(2);
            }
        }
        return out;
    }

    /** Replays every event up to {@code l1Block} from scratch: the table in id order, or empty. */
    static Optional<StakeTable> model(List<ValidatorEvent> events, long l1Block) {
        TreeMap<Long, StakeEntry> active = new TreeMap<>();
        for (ValidatorEvent e : events) {
            if (e.l1Block() > l1Block) continue;
            switch (e) {
                case ValidatorEvent.Joined j -> active.put(j.validatorId(),
                        new StakeEntry(key(j.validatorId()), j.stakeGwei(), j.isDa()));
                case ValidatorEvent.Left x -> active.remove(x.validatorId());
            }
        }
        return active.isEmpty() ? Optional.empty() : Optional.of(StakeTable.of(new ArrayList<>(active.values())));
    }

    /** Feeds {@code events} through {@code throughBlock} in random chunks, as a follower polling at its own pace would. */
    static void feed(ValidatorLedger ledger, List<ValidatorEvent> events, long throughBlock, Random rnd) {
        long from = ledger.followedBlock();
        while (from < throughBlock) {
            long to = Math.min(throughBlock, from + 1 + rnd.nextInt(12));
            long lo = from;
            long hi = to;
            ledger.append(events.stream().filter(e -> e.l1Block() > lo && e.l1Block() <= hi).toList(), to);
            from = to;
        }
    }
}
