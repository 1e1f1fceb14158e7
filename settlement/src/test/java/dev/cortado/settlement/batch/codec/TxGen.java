package dev.cortado.settlement.batch.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random signed-transaction-shaped inputs: every EIP-2718 type, ABI-like calldata, odd encodings too. */
final class TxGen {
    private final Random rnd;
    private final List<byte[]> addressPool = new ArrayList<>();

    TxGen(long seed) {
        rnd = new Random(seed);
        for (int i = 0; i < 8; i++) {
            addressPool.add(bytes(20));
        }
    }

    byte[] bytes(int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    /** A canonical scalar of 0..maxBytes bytes (no leading zero). */
    byte[] scalar(int maxBytes) {
        int len = rnd.nextInt(maxBytes + 1);
        byte[] b = bytes(len);
        if (len > 0 && b[0] == 0) {
            b[0] = 1;
        }
        return b;
    }

    byte[] address() {
        return rnd.nextInt(3) == 0 ? bytes(20) : addressPool.get(rnd.nextInt(addressPool.size()));
    }

    byte[] calldata() {
        return switch (rnd.nextInt(4)) {
            case 0 -> bytes(rnd.nextInt(6));
            case 1 -> bytes(4 + rnd.nextInt(200));
            default -> {
                int words = rnd.nextInt(12);
                byte[] d = new byte[4 + 32 * words];
                System.arraycopy(bytes(4), 0, d, 0, 4);
                for (int w = 0; w < words; w++) {
                    int at = 4 + 32 * w;
                    switch (rnd.nextInt(5)) {
                        case 0 -> System.arraycopy(address(), 0, d, at + 12 + rnd.nextInt(1), 20 - rnd.nextInt(1));
                        case 1 -> System.arraycopy(bytes(32), 0, d, at, 32);
                        case 2 -> System.arraycopy(bytes(8), 0, d, at, 8);
                        case 3 -> {
                            int n = rnd.nextInt(33);
                            System.arraycopy(bytes(n), 0, d, at + 32 - n, n);
                        }
                        default -> { }
                    }
                }
                yield d;
            }
        };
    }

    /** A random RLP list item (empty, strings, or nested), whole with its header. */
    byte[] rlpList() {
        ByteSink payload = new ByteSink(64);
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            if (rnd.nextBoolean()) {
                Rlp.putString(payload, bytes(rnd.nextInt(40)));
            } else {
                byte[] inner = rlpListOfStrings();
                payload.put(inner);
            }
        }
        ByteSink out = new ByteSink(payload.size() + 4);
        Rlp.putListHeader(out, payload.size());
        out.put(payload.toArray());
        return out.toArray();
    }

    private byte[] rlpListOfStrings() {
        ByteSink payload = new ByteSink(64);
        for (int i = rnd.nextInt(3); i > 0; i--) {
            Rlp.putString(payload, bytes(32));
        }
        ByteSink out = new ByteSink(payload.size() + 4);
        Rlp.putListHeader(out, payload.size());
        out.put(payload.toArray());
        return out.toArray();
    }

    EthTx tx() {
        int type = rnd.nextInt(5);
        EthTx.Field[] layout = EthTx.layout(type);
        byte[][] values = new byte[layout.length][];
        for (int i = 0; i < layout.length; i++) {
            values[i] = switch (layout[i]) {
                case CHAIN_ID -> rnd.nextInt(4) == 0 ? scalar(8) : new byte[] {10};
                case NONCE, GAS -> scalar(rnd.nextInt(10) == 0 ? 9 : 4);
                case GAS_PRICE, MAX_FEE, BLOB_FEE -> scalar(rnd.nextInt(10) == 0 ? 32 : 7);
                case VALUE -> scalar(rnd.nextInt(10) == 0 ? 32 : 12);
                case V -> scalar(2);
                case R, S -> rnd.nextInt(20) == 0 ? scalar(31) : nonZeroLead(32);
                case TO -> rnd.nextInt(10) == 0 ? new byte[0] : address();
                case DATA -> calldata();
                case ACCESS_LIST, BLOB_HASHES, AUTH_LIST -> rlpList();
            };
        }
        return new EthTx(type, layout, values);
    }

    private byte[] nonZeroLead(int n) {
        byte[] b = bytes(n);
        b[0] |= 1;
        return b;
    }

    /** Mostly transactions; some not (random bytes, or a transaction with a non-canonical header). */
    byte[] txOrNot(boolean allowJunk) {
        byte[] tx = tx().encode();
        if (allowJunk && rnd.nextInt(20) == 0) {
            return bytes(1 + rnd.nextInt(100));
        }
        return tx;
    }

    int nextInt(int bound) {
        return rnd.nextInt(bound);
    }
}
