package dev.cortado.node.consensus;

import dev.cortado.protocol.types.View;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Messages for views the replica has not reached, replayed when it gets there. Bounded per sender and in
 * total, so a peer spamming future views can fill only its own share.
 */
public final class FutureBuffer {
    private final int perSender;
    private final int total;
    private final int[] countBySender;
    private final TreeMap<View, List<Input>> byView = new TreeMap<>();
    private int size;

    public FutureBuffer(int senders, int perSender, int total) {
        this.perSender = perSender;
        this.total = total;
        this.countBySender = new int[senders];
    }

    /** Empty when buffered; otherwise why it was dropped. */
    public Optional<String> add(int from, View view, Input input) {
        if (countBySender[from] >= perSender) {
            return Optional.of("future buffer holds " + perSender + " messages of sender " + from + " already");
        }
        if (size >= total) {
            return Optional.of("future buffer is full (" + total + " messages)");
        }
        byView.computeIfAbsent(view, v -> new ArrayList<>()).add(input);
        countBySender[from]++;
        size++;
        return Optional.empty();
    }

    /** Removes every message for views up to {@code view}; returns those for exactly {@code view}. */
    public List<Input> takeUpTo(View view) {
        List<Input> ready = new ArrayList<>();
        var head = byView.headMap(view, true);
        for (Map.Entry<View, List<Input>> e : head.entrySet()) {
            for (Input input : e.getValue()) {
                countBySender[senderOf(input)]--;
                size--;
                if (e.getKey().equals(view)) {
                    ready.add(input);
                }
            }
        }
        head.clear();
        return ready;
    }

    public int size() {
        return size;
    }

    private static int senderOf(Input input) {
        return switch (input) {
            case Input.VoteReceived v -> v.from();
            case Input.TimeoutVoteReceived t -> t.from();
            case Input.ProposalReceived p -> p.from();
            case Input.LeavesReceived l -> l.from();
            case Input.HandoverProofReceived h -> h.from();
            case Input.HandoverProofRequested h -> h.from();
            case Input.Start s -> throw new IllegalArgumentException("Start is never buffered");
            case Input.Timeout t -> throw new IllegalArgumentException("timers are never buffered");
            case Input.BlockBuilt b -> throw new IllegalArgumentException("driver inputs are never buffered");
            case Input.DataAvailable d -> throw new IllegalArgumentException("driver inputs are never buffered");
        };
    }
}
