package dev.cortado.settlement.batch.codec;

import java.util.HashMap;
import java.util.Map;

/**
 * Scalar history per call target: the last nonce, gas limit, value, gas price (tip) and fee cap seen for the same
 * {@code (to, selector)}. Without ecrecover the sender is unknown, but a bot or a user calling the
 * same contract method again is the common case, and its nonce, gas and value then repeat or step by
 * one. One entry per transaction at most, so the state is bounded by the batch.
 */
final class CallContexts {
    static final int NONCE = 0;
    static final int GAS = 1;
    static final int VALUE = 2;
    /** gasPrice, or the priority fee of EIP-1559 types: a caller's own habit more than the market's. */
    static final int TIP = 3;
    /** maxFeePerGas: wallets and bots keep their own fee cap policy, so it repeats per target too. */
    static final int MAX_FEE = 4;
    private static final int SLOTS = 5;

    /** {@code to} is null for a contract creation; {@code selector} is -1 for calldata under 4 bytes. */
    record Key(EthColumnsEncoder.AddressKey to, long selector) {}

    private final Map<Key, long[]> last = new HashMap<>();

    /** The history of the target of {@code to} and {@code data}, created empty (all zero). */
    long[] of(byte[] to, byte[] data) {
        EthColumnsEncoder.AddressKey k = to.length == 0 ? null : EthColumnsEncoder.AddressKey.of(to, 0);
        long sel = data.length < 4 ? -1 : EthColumnsEncoder.readLong(data, 0) >>> 32;
        return last.computeIfAbsent(new Key(k, sel), x -> new long[SLOTS]);
    }

    private static final int[][] ORDERS = new int[5][];

    static {
        for (int type = 0; type < ORDERS.length; type++) {
            EthTx.Field[] layout = EthTx.layout(type);
            int[] order = new int[layout.length];
            int n = 0;
            for (EthTx.Field first : new EthTx.Field[] {EthTx.Field.TO, EthTx.Field.DATA}) {
                for (int i = 0; i < layout.length; i++) {
                    if (layout[i] == first) {
                        order[n++] = i;
                    }
                }
            }
            for (int i = 0; i < layout.length; i++) {
                if (layout[i] != EthTx.Field.TO && layout[i] != EthTx.Field.DATA) {
                    order[n++] = i;
                }
            }
            ORDERS[type] = order;
        }
    }

    /**
     * The order fields are coded in: {@code to} and calldata first, so both sides know the call
     * target before the scalars that are delta-coded against it.
     */
    static int[] order(int type) {
        return ORDERS[type];
    }

}
