package dev.cortado.devnet.run;

import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.settlement.lightclient.LightClientPoster;
import dev.cortado.settlement.lightclient.LightClientReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;

/**
 * The story's validator changes on a devnet with epochs. Once the network has decided its first epoch the joiner (the
 * node configured without stake) registers on StakeTable.sol with its proof of possession; the story then reads the
 * nodes' API until an epoch's table holds it and a light-client certificate of that epoch carries its bit. With the
 * exit, the last genesis validator then asks to leave, and the story reads on until an epoch's table no longer holds
 * it while the network keeps deciding. The exiter's node keeps running: the DA committee is the genesis one.
 * Also keeps the current epoch and its table size for the status line. Everything it reports it read from a node.
 */
public final class ValidatorMoves implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ValidatorMoves.class);
    private static final long POLL_MS = 500;
    /** Certificates scanned per poll, so a node far ahead never makes one poll long. */
    private static final int SCAN_PER_POLL = 64;
    private static final int EVENTS_KEPT = 8;

    /** The L1 side: the contract and the accounts the joiner and the exiter registered from. */
    public record L1(Web3j web3j, long chainId, String stakeTable, Credentials joinerAccount, Credentials exiterAccount) {
    }

    private enum Step { WAIT_FIRST_EPOCH, WAIT_JOIN_TABLE, WAIT_JOIN_SIGNATURE, WAIT_EXIT_TABLE, DONE }

    private final EpochSchedule schedule;
    private final DevnetValidators validators;
    private final int joiner;
    private final int exiter;
    private final L1 l1;
    private final boolean join;
    private final boolean exit;
    private final EpochApi api;
    private final Consumer<String> console;
    private final Deque<String> events = new ArrayDeque<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "devnet-validator-moves");
        t.setDaemon(true);
        return t;
    });
    private Step step;
    private long sentL1Block = -1;
    private long movedEpoch = -1;
    private long scanFrom;
    private String lightClientTable;
    private volatile long currentEpoch = -1;
    private volatile int currentTableSize = -1;
    private volatile String problem = "";

    /**
     * @param api a genesis validator that neither joins nor exits, whose API the story reads
     * @param console where each step's line goes (also logged)
     */
    public ValidatorMoves(EpochSchedule schedule, DevnetValidators validators, L1 l1, boolean join, boolean exit, EpochApi api,
            Consumer<String> console) {
        if (validators.joiners() != 1) throw new IllegalArgumentException("the story moves one joiner, got " + validators.joiners());
        if (exit && validators.table().size() < 2) {
            throw new IllegalArgumentException("the exit needs at least 2 genesis validators: one leaves, one stays");
        }
        this.schedule = schedule;
        this.validators = validators;
        this.joiner = validators.table().size();
        this.exiter = validators.table().size() - 1;
        this.l1 = l1;
        this.join = join;
        this.exit = exit;
        this.api = api;
        this.console = console;
        this.step = join ? Step.WAIT_FIRST_EPOCH : Step.DONE;
        this.lightClientTable = validators.table().commitment().toString().toLowerCase(java.util.Locale.ROOT);
        timer.scheduleWithFixedDelay(this::poll, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * The story's moves on a started devnet with epochs: validator {@code i} registered from L1 account {@code 1 + i}
     * (the joiner's account is the next after the genesis validators'); it reads node 0, which neither joins nor exits.
     */
    static ValidatorMoves of(Devnet d, java.io.PrintStream console) {
        var accounts = d.l1().accounts();
        int genesis = d.validators().table().size();
        return new ValidatorMoves(d.config().schedule().orElseThrow(), d.validators(), new L1(d.l1().web3j(), d.l1().chainId(),
                d.deployment().stakeTable().address(), accounts.get(1 + genesis), accounts.get(genesis)),
                d.story().join(), d.story().exit(), new EpochApi(d.network().apiUrls().getFirst()), console::println);
    }

    private void poll() {
        try {
            OptionalLong height = api.height();
            if (height.isEmpty()) return;
            long epoch = schedule.epochOf(height.getAsLong());
            api.epoch(epoch).ifPresent(t -> {
                currentEpoch = epoch;
                currentTableSize = t.keys().size();
            });
            advance(height.getAsLong());
            problem = "";
        } catch (Exception e) {
            // An L1 send that failed is retried on the next poll (its step did not move); the line says why meanwhile.
            problem = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.warn("validator moves: {}", problem);
        }
    }

    private synchronized void advance(long height) throws Exception {
        switch (step) {
            case WAIT_FIRST_EPOCH -> {
                if (height < schedule.lastHeight(0)) return;
                var r = validators.register(l1.web3j(), l1.chainId(), l1.stakeTable(), l1.joinerAccount(), joiner, false);
                sentL1Block = r.getBlockNumber().longValueExact();
                say("validator " + joiner + " registers on StakeTable.sol with its proof of possession: tx " + r.getTransactionHash()
                        + " in L1 block " + sentL1Block + " (HotShot at height " + height + ", epoch " + schedule.epochOf(height) + ")");
                step = Step.WAIT_JOIN_TABLE;
                movedEpoch = schedule.epochOf(height) + 1;
            }
            case WAIT_JOIN_TABLE -> {
                Optional<EpochApi.EpochTable> t = api.epoch(movedEpoch);
                if (t.isEmpty()) return;
                if (t.get().indexOf(key(joiner)) < 0) {
                    movedEpoch++;
                    return;
                }
                say("validator " + joiner + " is in the table from epoch " + movedEpoch + " (" + t.get().keys().size()
                        + " validators, from height " + t.get().firstHeight() + ")");
                scanFrom = t.get().firstHeight();
                step = Step.WAIT_JOIN_SIGNATURE;
            }
            case WAIT_JOIN_SIGNATURE -> {
                OptionalLong signed = firstSigned(height);
                if (signed.isEmpty()) return;
                say("validator " + joiner + " signs certificates from height " + signed.getAsLong() + " (epoch "
                        + schedule.epochOf(signed.getAsLong()) + ")");
                if (!exit) {
                    step = Step.DONE;
                    return;
                }
                var r = validators.requestExit(l1.web3j(), l1.chainId(), l1.stakeTable(), l1.exiterAccount(), exiter);
                sentL1Block = r.getBlockNumber().longValueExact();
                movedEpoch = schedule.epochOf(height) + 1;
                say("validator " + exiter + " asks StakeTable.sol to leave: tx " + r.getTransactionHash() + " in L1 block "
                        + sentL1Block + " (HotShot at height " + height + "); its node keeps running");
                step = Step.WAIT_EXIT_TABLE;
            }
            case WAIT_EXIT_TABLE -> {
                Optional<EpochApi.EpochTable> t = api.epoch(movedEpoch);
                if (t.isEmpty()) return;
                if (t.get().indexOf(key(exiter)) >= 0) {
                    movedEpoch++;
                    return;
                }
                say("validator " + exiter + " left the table at epoch " + movedEpoch + " (" + t.get().keys().size()
                        + " validators, from height " + t.get().firstHeight() + "); the network decides on without it");
                step = Step.DONE;
            }
            case DONE -> {
            }
        }
    }

    /**
     * The lowest height at or after {@code scanFrom} whose certificate carries the joiner's bit in the table of the
     * height's own epoch; scans at most {@link #SCAN_PER_POLL} certified heights up to {@code height} per call.
     */
    private OptionalLong firstSigned(long height) {
        long epochCached = -1;
        int index = -1;
        for (int n = 0; scanFrom <= height && n < SCAN_PER_POLL; n++) {
            long h = scanFrom;
            if (schedule.epochOf(h) != epochCached) {
                Optional<EpochApi.EpochTable> t = api.epoch(schedule.epochOf(h));
                if (t.isEmpty()) return OptionalLong.empty();
                epochCached = schedule.epochOf(h);
                index = t.get().indexOf(key(joiner));
            }
            Optional<byte[]> signers = api.signers(h);
            // A height certified a little later is asked again on the next poll; one never certified here is skipped.
            if (signers.isEmpty() && h + 8 > height) return OptionalLong.empty();
            scanFrom++;
            if (signers.isPresent() && EpochApi.signed(signers.get(), index)) return OptionalLong.of(h);
        }
        return OptionalLong.empty();
    }

    /**
     * Called after the light-client poster got a state into LightClient.sol: a handover (an epoch's last height)
     * that changed the contract's stored table is a rotation LightClient.sol accepted, which the story says.
     */
    void lightClientPosted(LightClientPoster.PostResult.Posted posted, LightClientReader reader) {
        if (!schedule.isLastOfEpoch(posted.height())) return;
        String onL1;
        try {
            onL1 = reader.stakeTableCommitment().toString().toLowerCase(java.util.Locale.ROOT);
        } catch (RuntimeException e) {
            problem = "reading LightClient.sol's table: " + e.getMessage();
            return;
        }
        synchronized (this) {
            if (onL1.equals(lightClientTable)) return;
            lightClientTable = onL1;
        }
        say("LightClient.sol rotated to the table of epoch " + (schedule.epochOf(posted.height()) + 1) + " (" + onL1
                + ") with the handover at height " + posted.height() + ", L1 block " + posted.l1Block());
    }

    private String key(int index) {
        return "0x" + HexFormat.of().formatHex(validators.keys().get(index).publicKey().toBytes());
    }

    private void say(String line) {
        LOG.info(line);
        console.accept(line);
        synchronized (events) {
            events.addLast(line);
            while (events.size() > EVENTS_KEPT) events.removeFirst();
        }
    }

    /** The epoch of the network's height as the node last served it, or -1 before it served one. */
    public long currentEpoch() {
        return currentEpoch;
    }

    /** How many validators that epoch's table holds, or -1 before the node served one. */
    public int currentTableSize() {
        return currentTableSize;
    }

    /** The story's lines so far, oldest first (the newest {@value #EVENTS_KEPT}). */
    public List<String> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** Why the last poll failed, or empty. */
    public String problem() {
        return problem;
    }

    /** Whether every move the story was asked for has been seen through. */
    public synchronized boolean done() {
        return step == Step.DONE;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
