package dev.cortado.devnet.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.testing.Await;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.runtime.CortadoNode;
import dev.cortado.node.runtime.StoredCertificates;
import dev.cortado.protocol.epoch.EpochSchedule;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a running devnet's join and exit left in the nodes, read from a node the story does not read (node 1): its API
 * for the epochs' tables and light-client certificates, its store for the consensus QCs. Nothing here reads the
 * devnet's own lines, so removing the join (or the exit) from the story fails these checks.
 */
final class StakeMovesCheck {
    private static final long MOVES_TIMEOUT_MS = 90_000;

    private StakeMovesCheck() {
    }

    static void assertJoinAndExit(Devnet devnet) {
        EpochSchedule schedule = devnet.config().schedule().orElseThrow();
        DevnetValidators v = devnet.validators();
        int joiner = v.table().size();
        int exiter = joiner - 1;
        String joinerKey = key(v, joiner);
        String exiterKey = key(v, exiter);
        EpochApi api = new EpochApi(devnet.network().apiUrls().get(1));
        CortadoNode node = devnet.network().nodes().get(1);

        EpochApi.EpochTable genesis = api.epoch(0).orElseThrow();
        assertEquals(-1, genesis.indexOf(joinerKey), "the joiner is not in the genesis table");
        assertTrue(genesis.indexOf(exiterKey) >= 0, "the exiter is in the genesis table");
        long[] moved = new long[2];
        Await.until("an epoch holding the joiner and a later one without the exiter", MOVES_TIMEOUT_MS, () -> {
            OptionalLong join = firstEpoch(api, 1, t -> t.indexOf(joinerKey) >= 0);
            if (join.isEmpty()) return false;
            OptionalLong exit = firstEpoch(api, join.getAsLong() + 1, t -> t.indexOf(exiterKey) < 0);
            moved[0] = join.getAsLong();
            moved[1] = exit.orElse(-1);
            return exit.isPresent();
        }, () -> "height " + node.height() + ", epoch " + schedule.epochOf(node.height()) + ", join epoch " + moved[0]);
        long joinEpoch = moved[0];
        long exitEpoch = moved[1];
        // The network decides on without the exiter: through its exit epoch and into the next.
        Await.until("decisions past the exit epoch " + exitEpoch, MOVES_TIMEOUT_MS,
                () -> node.height() > schedule.lastHeight(exitEpoch), () -> "height " + node.height());

        // Light-client certificates: the joiner's bit, at its index in the table of the height's epoch.
        boolean joinerCertified = false;
        for (long h = schedule.firstHeight(joinEpoch); h <= schedule.lastHeight(exitEpoch) && !joinerCertified; h++) {
            int index = api.epoch(schedule.epochOf(h)).orElseThrow().indexOf(joinerKey);
            Optional<byte[]> signers = api.signers(h);
            joinerCertified = signers.isPresent() && EpochApi.signed(signers.get(), index);
        }
        assertTrue(joinerCertified, "a light-client certificate from epoch " + joinEpoch + " carries the joiner's bit");

        // Consensus QCs, whose bitmaps are over the configured peers (the joiner is peer 4 in every epoch).
        boolean joinerInQc = false;
        int exiterAfterExit = 0;
        for (long h = 1; h <= schedule.lastHeight(exitEpoch); h++) {
            Optional<QuorumCertificate> qc = StoredCertificates.qc(node.store().decided(h).orElseThrow());
            if (qc.isEmpty()) continue;
            long epoch = schedule.epochOf(h);
            assertEquals(epoch, qc.get().epoch(), "the QC on height " + h);
            boolean joinerSigned = qc.get().signature().signers().get(joiner);
            if (epoch < joinEpoch) assertFalse(joinerSigned, "the joiner signed height " + h + " of epoch " + epoch);
            joinerInQc |= joinerSigned;
            if (epoch >= exitEpoch && qc.get().signature().signers().get(exiter)) exiterAfterExit++;
        }
        assertTrue(joinerInQc, "a QC from epoch " + joinEpoch + " carries the joiner's bit");
        assertEquals(0, exiterAfterExit, "QCs carrying the exiter's bit from its exit epoch " + exitEpoch);

        // LightClient.sol accepted every rotation up to a state of the exit epoch, and holds the table the nodes serve.
        Await.until("LightClient.sol at the exit epoch", MOVES_TIMEOUT_MS,
                () -> devnet.postLightClient() >= schedule.firstHeight(exitEpoch), () -> "on L1 " + devnet.postLightClient());
        var reader = devnet.poster().reader();
        long onL1 = reader.finalizedState().height();
        long tableEpoch = schedule.epochOf(onL1) + (schedule.isLastOfEpoch(onL1) ? 1 : 0);
        String stored = reader.stakeTableCommitment().toHex();
        assertEquals(api.epoch(tableEpoch).orElseThrow().commitment(), stored, "LightClient.sol's table at height " + onL1);
        assertNotEquals(genesis.commitment(), stored, "LightClient.sol rotated away from the genesis table");
    }

    /** The first epoch from {@code from} that the node serves and {@code test} holds for, while it serves them in order. */
    private static OptionalLong firstEpoch(EpochApi api, long from, java.util.function.Predicate<EpochApi.EpochTable> test) {
        for (long e = from; ; e++) {
            Optional<EpochApi.EpochTable> t = api.epoch(e);
            if (t.isEmpty()) return OptionalLong.empty();
            if (test.test(t.get())) return OptionalLong.of(e);
        }
    }

    private static String key(DevnetValidators v, int index) {
        return "0x" + HexFormat.of().formatHex(v.keys().get(index).publicKey().toBytes());
    }
}
