package dev.cortado.node.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Where a decision's time goes on this node, stage by stage, so the submit-to-decide tail can be attributed from
 * {@code /metrics} alone. Each is a Prometheus histogram in seconds: count, sum, max and cumulative {@code le}
 * buckets at 5, 20, 50, 100, 200 and 500 ms over the whole run, so the share of slow cases is read directly.
 */
final class StageMetrics {
    /** {@code cortado_event_queue_wait_seconds}: a network message's time in the event queue before it is handled. */
    final Timer eventQueueWait;
    /** {@code cortado_safety_fsync_seconds}: the synced write of the safety state that precedes each vote. */
    final Timer safetyFsync;
    /** {@code cortado_proposal_to_vote_seconds}: from a proposal's arrival to this node's vote for it. */
    final Timer proposalToVote;
    /** {@code cortado_proposal_deferred_seconds{reason=l1_head}}: a proposal waited for this node to see its l1Head. */
    final Timer deferredL1Head;
    /** {@code cortado_proposal_deferred_seconds{reason=ancestor}}: a proposal waited for an undecided ancestor's block. */
    final Timer deferredAncestor;
    /** {@code cortado_build_wait_seconds{outcome=transactions}}: a leader's wait for something to include. */
    final Timer buildWaitTransactions;
    /** {@code cortado_build_wait_seconds{outcome=empty}}: the wait ended at the empty-block deadline. */
    final Timer buildWaitEmpty;
    /** {@code cortado_lc_sign_seconds}: signing the light-client state on a decision. */
    final Timer lightClientSign;
    /** {@code cortado_block_check_seconds}: one stateless block check (parse, roots, VID encode) on a check worker. */
    final Timer blockCheck;
    /** {@code cortado_block_check_wait_seconds}: from handing a block to the check workers to its verdict back on the event thread. */
    final Timer blockCheckWait;
    /** {@code cortado_block_build_seconds}: the leader building its block (payload, VID encode, header). */
    final Timer blockBuild;
    /** {@code cortado_decide_persist_seconds}: writing one decided block, its index and proof to RocksDB. */
    final Timer decidePersist;
    /** {@code cortado_mempool_remove_decided_seconds}: dropping a decided block's transactions from the mempool. */
    final Timer mempoolRemoveDecided;
    /** {@code cortado_proposal_to_da_seconds}: from a proposal's arrival to its block being certified available here. */
    final Timer proposalToDa;

    StageMetrics(MeterRegistry registry) {
        eventQueueWait = timer(registry, "cortado.event.queue.wait");
        safetyFsync = timer(registry, "cortado.safety.fsync");
        proposalToVote = timer(registry, "cortado.proposal.to.vote");
        deferredL1Head = timer(registry, "cortado.proposal.deferred", "reason", "l1_head");
        deferredAncestor = timer(registry, "cortado.proposal.deferred", "reason", "ancestor");
        buildWaitTransactions = timer(registry, "cortado.build.wait", "outcome", "transactions");
        buildWaitEmpty = timer(registry, "cortado.build.wait", "outcome", "empty");
        lightClientSign = timer(registry, "cortado.lc.sign");
        blockCheck = timer(registry, "cortado.block.check");
        blockCheckWait = timer(registry, "cortado.block.check.wait");
        blockBuild = timer(registry, "cortado.block.build");
        decidePersist = timer(registry, "cortado.decide.persist");
        mempoolRemoveDecided = timer(registry, "cortado.mempool.remove.decided");
        proposalToDa = timer(registry, "cortado.proposal.to.da");
    }

    private static Timer timer(MeterRegistry registry, String name, String... tags) {
        return Timer.builder(name).tags(tags)
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofMillis(50),
                        Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(500))
                .register(registry);
    }

    static void record(Timer timer, long sinceNanos) {
        timer.record(Math.max(0, System.nanoTime() - sinceNanos), java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
