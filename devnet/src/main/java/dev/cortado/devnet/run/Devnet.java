package dev.cortado.devnet.run;

import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.devnet.l1.L1Options;
import dev.cortado.settlement.port.SlotClock;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A running local network. Parts start in dependency order and stop in reverse order on
 * {@link #close()}, which also runs when the JVM is asked to stop (Ctrl-C, SIGTERM).
 */
public final class Devnet implements AutoCloseable {
    private final DevnetConfig config;
    private final PrintStream console;
    private final L1Devnet l1;
    private final SlotClock slotClock;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Devnet(DevnetConfig config, PrintStream console, L1Devnet l1, SlotClock slotClock) {
        this.config = config;
        this.console = console;
        this.l1 = l1;
        this.slotClock = slotClock;
    }

    public static Devnet start(DevnetConfig config, PrintStream console) throws IOException {
        Files.createDirectories(config.outDir());
        long genesisSec = System.currentTimeMillis() / 1000;
        console.printf("starting %s (slot = %d s) ...%n", config.l1().name().toLowerCase(java.util.Locale.ROOT),
                config.secondsPerSlot());
        L1Devnet l1 = L1Devnet.start(L1Options.anvil().withKind(config.l1())
                .withBlockTimeSec(config.secondsPerSlot())
                .withGenesisTimestampSec(genesisSec));
        Devnet devnet = new Devnet(config, console, l1, new SlotClock(genesisSec, config.secondsPerSlot()));
        try {
            devnet.printSummary();
            return devnet;
        } catch (RuntimeException e) {
            devnet.close();
            throw e;
        }
    }

    private void printSummary() {
        console.println("L1 RPC URL      " + l1.rpcUrl());
        console.println("L1 chain id     " + l1.chainId());
        console.println("slot clock      genesis " + slotClock.genesisTimeSec() + ", " + slotClock.secondsPerSlot() + " s per slot");
        console.println("current slot    " + currentSlot());
    }

    public long currentSlot() {
        return slotClock.slotAt(System.currentTimeMillis() / 1000);
    }

    public L1Devnet l1() {
        return l1;
    }

    /** Prints a status line every slot until {@code duration} has passed (forever when null) or close. */
    public void runUntil(Duration duration) throws InterruptedException {
        long deadlineMs = duration == null ? Long.MAX_VALUE : System.currentTimeMillis() + duration.toMillis();
        Thread hook = new Thread(this::close, "devnet-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            while (true) {
                long nowMs = System.currentTimeMillis();
                if (nowMs >= deadlineMs) return;
                long waitMs = Math.min(slotClock.msUntilNextSlot(nowMs), deadlineMs - nowMs);
                if (stopped.await(waitMs, TimeUnit.MILLISECONDS)) return;
                if (System.currentTimeMillis() < deadlineMs) {
                    console.printf("slot %d | L1 block %d%n", currentSlot(), l1.blockNumber());
                }
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is already closing the devnet.
            }
        }
    }

    @Override
    public void close() {
        if (stopped.getCount() == 0) return;
        stopped.countDown();
        l1.close();
    }

    public DevnetConfig config() {
        return config;
    }
}
