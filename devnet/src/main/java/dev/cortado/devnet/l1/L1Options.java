package dev.cortado.devnet.l1;

import java.util.OptionalLong;

/**
 * How to start the devnet L1.
 *
 * @param kind which node to run
 * @param chainId the L1 chain id
 * @param blockTimeSec seconds between blocks; 0 mines one block per transaction (Anvil only)
 * @param genesisTimestampSec the first block's timestamp, or empty for the current time
 * @param accounts how many funded accounts to derive from the devnet mnemonic
 * @param balanceEth the balance of each funded account, in ETH
 * @param startTimeoutMs how long to wait for the node to answer JSON-RPC
 */
public record L1Options(
        L1Kind kind,
        long chainId,
        int blockTimeSec,
        OptionalLong genesisTimestampSec,
        int accounts,
        long balanceEth,
        long startTimeoutMs) {

    public static final long DEVNET_CHAIN_ID = 31337;

    public L1Options {
        if (chainId <= 0) throw new IllegalArgumentException("chainId must be positive, got " + chainId);
        if (blockTimeSec < 0) throw new IllegalArgumentException("blockTimeSec must be >= 0, got " + blockTimeSec);
        if (accounts < 1 || accounts > 100) throw new IllegalArgumentException("accounts must be 1..100, got " + accounts);
        if (balanceEth < 1) throw new IllegalArgumentException("balanceEth must be >= 1, got " + balanceEth);
        if (startTimeoutMs < 100) throw new IllegalArgumentException("startTimeoutMs must be >= 100, got " + startTimeoutMs);
        if (kind == L1Kind.BESU && blockTimeSec == 0) {
            throw new IllegalArgumentException("Besu's dev chain seals blocks on a clock: blockTimeSec must be >= 1");
        }
    }

    /** Anvil, mining on every transaction, ten accounts with 10,000 ETH each. */
    public static L1Options anvil() {
        return new L1Options(L1Kind.ANVIL, DEVNET_CHAIN_ID, 0, OptionalLong.empty(), 10, 10_000, 20_000);
    }

    public L1Options withKind(L1Kind newKind) {
        int blockTime = newKind == L1Kind.BESU && blockTimeSec == 0 ? 1 : blockTimeSec;
        return new L1Options(newKind, chainId, blockTime, genesisTimestampSec, accounts, balanceEth, startTimeoutMs);
    }

    public L1Options withBlockTimeSec(int seconds) {
        return new L1Options(kind, chainId, seconds, genesisTimestampSec, accounts, balanceEth, startTimeoutMs);
    }

    public L1Options withGenesisTimestampSec(long seconds) {
        return new L1Options(kind, chainId, blockTimeSec, OptionalLong.of(seconds), accounts, balanceEth, startTimeoutMs);
    }
}
