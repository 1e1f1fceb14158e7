package dev.cortado.devnet.run;

import dev.cortado.devnet.deploy.DeployConfig;
import dev.cortado.devnet.deploy.Deployer;
import dev.cortado.devnet.deploy.Deployment;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.devnet.l1.L1Options;
import dev.cortado.settlement.port.SlotClock;
import java.nio.file.Path;
import java.util.List;
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
    private Deployment deployment;
    private DevnetValidators validators;

    private Devnet(DevnetConfig config, PrintStream console, L1Devnet l1, SlotClock slotClock) {
        this.config = config;
        this.console = console;
        this.l1 = l1;
        this.slotClock = slotClock;
    }

    public static Devnet start(DevnetConfig config, PrintStream console) throws Exception {
        Files.createDirectories(config.outDir());
        long genesisSec = System.currentTimeMillis() / 1000;
        console.printf("starting %s (slot = %d s) ...%n", config.l1().name().toLowerCase(java.util.Locale.ROOT),
                config.secondsPerSlot());
        // Anvil deploys under automine (seconds, not a block per transaction) and then seals one block
        // per slot; Besu's Clique signer seals on its own clock from the start.
        boolean anvil = config.l1() == dev.cortado.devnet.l1.L1Kind.ANVIL;
        L1Devnet l1 = L1Devnet.start(L1Options.anvil().withKind(config.l1())
                .withBlockTimeSec(anvil ? 0 : config.secondsPerSlot())
                .withGenesisTimestampSec(genesisSec));
        Devnet devnet = new Devnet(config, console, l1, new SlotClock(genesisSec, config.secondsPerSlot()));
        try {
            devnet.deployContracts();
            devnet.printSummary();
            return devnet;
        } catch (RuntimeException e) {
            devnet.close();
            throw e;
        }
    }

    /** Deploys the contracts, registers the validators with proofs of possession, writes deployment.json. */
    private void deployContracts() throws Exception {
        validators = DevnetValidators.generate(config.nodes(), config.daCommittee());
        console.printf("deploying contracts (%d validators, DA committee of %d) ...%n", config.nodes(), config.daCommittee());
        var accounts = l1.accounts();
        DeployConfig deployConfig = DeployConfig.devnetDefaults(slotClock.genesisTimeSec(), slotClock.secondsPerSlot(),
                config.hotShotChainId(), validators.table().commitment(), List.of(accounts.get(0).getAddress()),
                accounts.get(0).getAddress());
        deployment = Deployer.deploy(l1.web3j(), l1.rpcUrl(), l1.chainId(), l1.deployer(), deployConfig);
        validators.register(l1.web3j(), l1.chainId(), deployment.stakeTable().address(),
                accounts.subList(1, 1 + config.nodes()));
        deployment.write(deploymentFile());
        if (config.l1() == dev.cortado.devnet.l1.L1Kind.ANVIL) {
            l1.setIntervalMining(config.secondsPerSlot());
        }
    }

    public Path deploymentFile() {
        return config.outDir().resolve("deployment.json");
    }

    public Deployment deployment() {
        return deployment;
    }

    public DevnetValidators validators() {
        return validators;
    }

    private void printSummary() {
        console.println("L1 RPC URL      " + l1.rpcUrl());
        console.println("L1 chain id     " + l1.chainId());
        console.println("LightClient     " + deployment.lightClient().address());
        console.println("StakeTable      " + deployment.stakeTable().address() + " (" + config.nodes() + " validators registered)");
        console.println("Marketplace     " + deployment.marketplace().address());
        console.println("BatchInbox      " + deployment.batchInbox().address());
        console.println("deployment      " + deploymentFile().toAbsolutePath());
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
