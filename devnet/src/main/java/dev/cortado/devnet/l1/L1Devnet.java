package dev.cortado.devnet.l1;

import dev.cortado.node.net.LoopbackPorts;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.web3j.crypto.Bip32ECKeyPair;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.MnemonicUtils;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthBlock;
import dev.cortado.settlement.l1.RpcHttp;
import org.web3j.protocol.http.HttpService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local L1 for the devnet and for every test that needs a chain: Anvil by default, Besu in dev
 * mode when a {@code besu} binary is installed.
 *
 * <p>The node listens on a free 127.0.0.1 port. Its process is stopped on {@link #close()}, by a JVM
 * shutdown hook, and, should this JVM die without running hooks (SIGKILL), by a watchdog shell that
 * notices the parent is gone. Accounts are derived from a fixed mnemonic, so addresses and keys are
 * the same on every run.
 */
public final class L1Devnet implements AutoCloseable {
    /** The mnemonic Anvil and Hardhat use for their dev accounts; public and deliberately well known. */
    public static final String DEVNET_MNEMONIC = "test test test test test test test test test test test junk";

    private static final Logger LOG = LoggerFactory.getLogger(L1Devnet.class);
    private static final int PORT_ATTEMPTS = 3;
    private static final long STOP_GRACE_MS = 3_000;

    private final L1Options options;
    private final Process process;
    private final int port;
    private final Path workDir;
    private final Path logFile;
    private final HttpService http;
    private final Web3j web3j;
    private final List<Credentials> accounts;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private L1Devnet(L1Options options, Process process, int port, Path workDir, Path logFile) {
        this.options = options;
        this.process = process;
        this.port = port;
        this.workDir = workDir;
        this.logFile = logFile;
        this.http = RpcHttp.service(rpcUrl());
        this.web3j = Web3j.build(http);
        this.accounts = deriveAccounts(options.accounts());
        this.shutdownHook = new Thread(this::stopProcess, "l1-devnet-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts the L1 described by {@code options} and waits until it answers JSON-RPC. */
    public static L1Devnet start(L1Options options) {
        return start(options, List.of());
    }

    /**
     * The same with further Anvil arguments appended (tests: e.g. {@code --init genesis.json} to start
     * from a chosen excess blob gas, which no RPC method sets).
     */
    public static L1Devnet start(L1Options options, List<String> extraAnvilArgs) {
        if (!extraAnvilArgs.isEmpty() && options.kind() != L1Kind.ANVIL) {
            throw new IllegalArgumentException("extra arguments are for Anvil only, not " + options.kind());
        }
        IOException lastFailure = null;
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            int port = freePort();
            Path workDir;
            try {
                workDir = Files.createTempDirectory("cortado-l1-");
            } catch (IOException e) {
                throw new IllegalStateException("cannot create a working folder for the L1: " + e.getMessage(), e);
            }
            Path logFile = workDir.resolve("l1.log");
            List<String> command = switch (options.kind()) {
                case ANVIL -> {
                    List<String> c = anvilCommand(options, port);
                    c.addAll(extraAnvilArgs);
                    yield c;
                }
                case BESU -> BesuDev.command(options, port, workDir);
            };
            Process process;
            try {
                process = new ProcessBuilder(Watchdog.wrap(command))
                        .redirectErrorStream(true)
                        .redirectOutput(logFile.toFile())
                        .start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
            }
            L1Devnet l1 = new L1Devnet(options, process, port, workDir, logFile);
            try {
                l1.awaitReady();
                LOG.info("{} is up at {} (chain id {})", options.kind(), l1.rpcUrl(), options.chainId());
                return l1;
            } catch (PortTakenException e) {
                l1.close();
                lastFailure = new IOException(e.getMessage());
            } catch (RuntimeException e) {
                l1.close();
                throw e;
            }
        }
        throw new IllegalStateException("could not start the L1 after " + PORT_ATTEMPTS + " ports: " + lastFailure.getMessage());
    }

    /** Starts Anvil with the default devnet options. */
    public static L1Devnet startAnvil() {
        return start(L1Options.anvil());
    }

    private static List<String> anvilCommand(L1Options options, int port) {
        List<String> cmd = new ArrayList<>(List.of(
                ProjectPaths.anvil().toString(),
                "--host", "127.0.0.1",
                "--port", Integer.toString(port),
                "--hardfork", "prague",
                "--chain-id", Long.toString(options.chainId()),
                "--accounts", Integer.toString(options.accounts()),
                "--balance", Long.toString(options.balanceEth()),
                "--mnemonic", DEVNET_MNEMONIC,
                // Calldata for light-client updates at n=200 and auction resolution is large.
                "--gas-limit", "60000000",
                "--code-size-limit", "49152"));
        if (options.blockTimeSec() > 0) {
            cmd.add("--block-time");
            cmd.add(Integer.toString(options.blockTimeSec()));
        }
        options.genesisTimestampSec().ifPresent(t -> {
            cmd.add("--timestamp");
            cmd.add(Long.toString(t));
        });
        return cmd;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.startTimeoutMs());
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String log = logTail();
                if (log.contains("Address already in use") || log.contains("address already in use")) {
                    throw new PortTakenException("port " + port + " was taken");
                }
                throw new IllegalStateException(options.kind() + " exited with code " + process.exitValue()
                        + " before answering; its output:\n" + log);
            }
            try {
                BigInteger id = web3j.ethChainId().send().getChainId();
                if (id != null && id.longValueExact() == options.chainId()) {
                    return;
                }
            } catch (IOException | RuntimeException notYet) {
                // The node is still starting; poll again shortly.
            }
            try {
                process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the L1", e);
            }
        }
        throw new IllegalStateException(options.kind() + " did not answer JSON-RPC within "
                + options.startTimeoutMs() + " ms; its output:\n" + logTail());
    }

    private static int freePort() {
        return LoopbackPorts.pick();
    }

    static List<Credentials> deriveAccounts(int count) {
        byte[] seed = MnemonicUtils.generateSeed(DEVNET_MNEMONIC, "");
        Bip32ECKeyPair master = Bip32ECKeyPair.generateKeyPair(seed);
        List<Credentials> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int[] path = {44 | Bip32ECKeyPair.HARDENED_BIT, 60 | Bip32ECKeyPair.HARDENED_BIT,
                    Bip32ECKeyPair.HARDENED_BIT, 0, i};
            result.add(Credentials.create(Bip32ECKeyPair.deriveKeyPair(master, path)));
        }
        return List.copyOf(result);
    }

    public L1Options options() {
        return options;
    }

    public String rpcUrl() {
        return "http://127.0.0.1:" + port;
    }

    public long chainId() {
        return options.chainId();
    }

    public Web3j web3j() {
        return web3j;
    }

    /** The funded accounts, in mnemonic order; account 0 deploys the contracts. */
    public List<Credentials> accounts() {
        return accounts;
    }

    public Credentials deployer() {
        return accounts.get(0);
    }

    public long processId() {
        return process.pid();
    }

    /** The latest block's number. */
    public long blockNumber() {
        return call(() -> web3j.ethBlockNumber().send().getBlockNumber().longValueExact());
    }

    /** The latest block's timestamp, in seconds. */
    public long latestTimestampSec() {
        return call(() -> {
            EthBlock.Block b = web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock();
            return b.getTimestamp().longValueExact();
        });
    }

    /** Moves the chain's clock forward (Anvil); the next mined block carries the new time. */
    public void increaseTime(long seconds) {
        requireAnvil("evm_increaseTime");
        rpc("evm_increaseTime", List.of(seconds));
    }

    /** Mines one block now (Anvil). */
    public void mine() {
        requireAnvil("evm_mine");
        rpc("evm_mine", List.of());
    }

    /** Sets the next block's timestamp exactly (Anvil). */
    public void setNextBlockTimestamp(long seconds) {
        requireAnvil("evm_setNextBlockTimestamp");
        rpc("evm_setNextBlockTimestamp", List.of(seconds));
    }

    /** Advances time by {@code seconds} and mines a block carrying it. */
    public void travel(long seconds) {
        increaseTime(seconds);
        mine();
    }

    /**
     * Switches Anvil to sealing a block every {@code seconds} (0 returns to one block per
     * transaction). The devnet deploys under automine, then mines one block per slot.
     */
    public void setIntervalMining(long seconds) {
        requireAnvil("evm_setIntervalMining");
        if (seconds < 0) throw new IllegalArgumentException("interval must be >= 0 seconds, got " + seconds);
        rpc("evm_setIntervalMining", List.of(seconds));
        rpc("evm_setAutomine", List.of(seconds == 0));
    }

    /**
     * Makes every further block carry its parent's time plus {@code seconds} (Anvil), whatever the wall
     * clock says; 0 returns to wall-clock time. Tests use it to land consecutive transactions in consecutive slots.
     */
    public void setBlockTimestampInterval(long seconds) {
        requireAnvil("anvil_setBlockTimestampInterval");
        if (seconds < 0) throw new IllegalArgumentException("interval must be >= 0 seconds, got " + seconds);
        if (seconds == 0) {
            rpc("anvil_removeBlockTimestampInterval", List.of());
        } else {
            rpc("anvil_setBlockTimestampInterval", List.of(seconds));
        }
    }

    /** Takes a snapshot of the chain (Anvil) for {@link #revert(String)}. */
    public String snapshot() {
        requireAnvil("evm_snapshot");
        return rpc("evm_snapshot", List.of()).getResult().toString();
    }

    /** Returns the chain to a snapshot taken by {@link #snapshot()} (Anvil). */
    public void revert(String snapshotId) {
        requireAnvil("evm_revert");
        Object ok = rpc("evm_revert", List.of(snapshotId)).getResult();
        if (!Boolean.TRUE.equals(ok)) {
            throw new IllegalStateException("evm_revert refused snapshot " + snapshotId);
        }
    }

    private void requireAnvil(String method) {
        if (options.kind() != L1Kind.ANVIL) {
            throw new UnsupportedOperationException(method + " needs Anvil; this devnet runs " + options.kind());
        }
    }

    private RawResponse rpc(String method, List<?> params) {
        return call(() -> {
            RawResponse r = new Request<>(method, params, http, RawResponse.class).send();
            if (r.hasError()) {
                throw new IllegalStateException(method + " failed: " + r.getError().getMessage());
            }
            return r;
        });
    }

    /** The last lines the L1 process printed, for error messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        web3j.shutdown();
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or has run; nothing left to do.
        }
        deleteQuietly(workDir);
    }

    private void stopProcess() {
        if (!process.isAlive()) return;
        // The watchdog shell forwards TERM to the node and waits for it.
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE_MS, TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(STOP_GRACE_MS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temp folder left behind is harmless.
        }
    }

    @FunctionalInterface
    private interface IoCall<T> {
        T run() throws IOException;
    }

    private static <T> T call(IoCall<T> c) {
        try {
            return c.run();
        } catch (IOException e) {
            throw new IllegalStateException("L1 request failed: " + e.getMessage(), e);
        }
    }

    /** A JSON-RPC answer whose result we take as plain JSON. */
    public static final class RawResponse extends Response<Object> {}

    private static final class PortTakenException extends RuntimeException {
        PortTakenException(String message) {
            super(message);
        }
    }
}
