package dev.cortado.settlement.batch.codec;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a batch's Ethereum transactions into columns (see {@link Column}). A namespace whose every
 * transaction parses is written field by field; any other namespace is kept whole in the RAW column,
 * which is compressed with zstd like the others, so it falls back to zstd on its own.
 */
final class EthColumnsEncoder {
    static final int KIND_ESCAPED = 5;
    static final int MODE_RAW = 0;
    static final int MODE_ETH = 1;
    static final int WORD_ADDRESS = 33;
    static final int WORD_TRAILING_BASE = 34;
    /** The word equals the last word at the same (selector, word index) slot: calls repeat arguments. */
    static final int WORD_SAME_SLOT = 66;
    /** The next words carry an embedded call (see {@link #embeddedLength}), coded recursively. */
    static final int WORD_NESTED = 67;
    static final int MAX_NESTING = 4;

    private final ByteSink[] cols = new ByteSink[Column.ALL.length];
    private final Map<AddressKey, Integer> addresses = new HashMap<>();
    private final Map<Integer, Integer> selectors = new HashMap<>();
    private final Map<Long, byte[]> slots = new HashMap<>();
    private final CallContexts contexts = new CallContexts();
    private long prevChain;
    /** The last v per transaction type: a legacy v carries the chain id, so only its parity bit changes. */
    private final long[] prevV = new long[5];

    /** Twenty bytes as three numbers: a cheap hash key. */
    record AddressKey(long a, long b, int c) {
        static AddressKey of(byte[] src, int off) {
            return new AddressKey(readLong(src, off), readLong(src, off + 8), (int) (readLong(src, off + 12)));
        }
    }

    EthColumnsEncoder(int sizeHint) {
        for (int i = 0; i < cols.length; i++) {
            cols[i] = new ByteSink(Column.ALL[i].large() ? sizeHint / 8 : 1024);
        }
    }

    private ByteSink col(Column c) {
        return cols[c.ordinal()];
    }

    ByteSink[] columns() {
        return cols;
    }

    void write(BatchContent content) {
        ByteSink st = col(Column.STRUCT);
        st.putVarint(content.blocks().size());
        long prev = content.firstHeight();
        for (BatchContent.Block b : content.blocks()) {
            st.putVarint(b.height() - prev);
            prev = b.height();
            st.putVarint(b.witness().length);
            col(Column.WITNESS).put(b.witness());
            st.putVarint(b.namespaces().size());
            for (BatchContent.Namespace ns : b.namespaces()) {
                writeNamespace(st, ns);
            }
        }
    }

    private void writeNamespace(ByteSink st, BatchContent.Namespace ns) {
        List<byte[]> txs = ns.transactions();
        EthTx[] parsed = new EthTx[txs.size()];
        boolean allParse = true;
        for (int i = 0; i < parsed.length && allParse; i++) {
            parsed[i] = EthTx.parse(txs.get(i));
            allParse = parsed[i] != null;
        }
        st.putVarint(ns.id());
        st.putVarint(txs.size());
        st.put(allParse ? MODE_ETH : MODE_RAW);
        for (int i = 0; i < parsed.length; i++) {
            byte[] raw = txs.get(i);
            if (!allParse) {
                col(Column.DATA_LEN).putVarint(raw.length);
                col(Column.RAW).put(raw);
            } else if (Arrays.equals(parsed[i].encode(), raw)) {
                col(Column.KIND).put(parsed[i].type());
                writeFields(parsed[i]);
            } else {
                col(Column.KIND).put(KIND_ESCAPED);
                col(Column.DATA_LEN).putVarint(raw.length);
                col(Column.RAW).put(raw);
            }
        }
    }

    private void writeFields(EthTx tx) {
        EthTx.Field[] layout = tx.layout();
        byte[][] values = tx.values();
        int[] order = CallContexts.order(tx.type());
        long[] ctx = contexts.of(values[order[0]], values[order[1]]);
        for (int i : order) {
            byte[] v = values[i];
            switch (layout[i]) {
                case CHAIN_ID -> prevChain = Scalars.put(col(Column.CHAIN), v, prevChain);
                case NONCE -> ctx[CallContexts.NONCE] = Scalars.put(col(Column.NONCE), v, ctx[CallContexts.NONCE]);
                case GAS_PRICE -> ctx[CallContexts.TIP] = Scalars.put(col(Column.FEE), v, ctx[CallContexts.TIP]);
                case MAX_FEE -> ctx[CallContexts.MAX_FEE] = Scalars.put(col(Column.FEE), v, ctx[CallContexts.MAX_FEE]);
                case BLOB_FEE -> Scalars.put(col(Column.FEE), v, 0);
                case GAS -> ctx[CallContexts.GAS] = Scalars.put(col(Column.GAS), v, ctx[CallContexts.GAS]);
                case VALUE -> ctx[CallContexts.VALUE] = Scalars.put(col(Column.VALUE), v, ctx[CallContexts.VALUE]);
                case V -> prevV[tx.type()] = Scalars.put(col(Column.V), v, prevV[tx.type()]);
                case TO -> {
                    if (v.length == 0) {
                        col(Column.TO_REF).putVarint(0);
                    } else {
                        address(col(Column.TO_REF), v, 0, 1);
                    }
                }
                case DATA -> writeData(v);
                case ACCESS_LIST, BLOB_HASHES, AUTH_LIST -> {
                    col(Column.LISTS).putVarint(v.length);
                    col(Column.LISTS).put(v);
                }
                case R, S -> {
                    col(Column.SIG_LEN).putVarint(v.length);
                    col(Column.SIG).put(v);
                }
            }
        }
    }

    /** Writes a dictionary reference: {@code base} means a new literal, {@code base + 1 + k} entry k. */
    private void address(ByteSink refs, byte[] src, int off, int base) {
        AddressKey key = AddressKey.of(src, off);
        Integer idx = addresses.get(key);
        if (idx == null) {
            refs.putVarint(base);
            col(Column.ADDR_LIT).put(src, off, 20);
            addresses.put(key, addresses.size());
        } else {
            refs.putVarint(base + 1L + idx);
        }
    }

    private void writeData(byte[] data) {
        col(Column.DATA_LEN).putVarint(data.length);
        if (data.length < 4) {
            col(Column.DATA).put(data);
            return;
        }
        selector(data, 0);
        if ((data.length - 4) % 32 != 0) {
            col(Column.DATA).put(data, 4, data.length - 4);
            return;
        }
        writeWords(data, 0, data.length, 0);
    }

    private void selector(byte[] data, int off) {
        int sel = (int) (readLong(data, off) >>> 32);
        Integer idx = selectors.get(sel);
        if (idx == null) {
            col(Column.SEL_REF).putVarint(0);
            col(Column.SEL_LIT).put(data, off, 4);
            selectors.put(sel, selectors.size());
        } else {
            col(Column.SEL_REF).putVarint(1L + idx);
        }
    }

    /** Codes the words of the call whose selector is at {@code off} and which ends at {@code end}. */
    private void writeWords(byte[] data, int off, int end, int depth) {
        int sel = (int) (readLong(data, off) >>> 32);
        ByteSink codes = col(Column.WORD_CODE);
        ByteSink words = col(Column.WORDS);
        for (int w = off + 4; w < end; w += 32) {
            int inner = depth < MAX_NESTING ? embeddedLength(data, off + 4, w, end) : -1;
            if (inner > 0 && zeroFrom(data, w + inner, 28)) {
                codes.put(WORD_NESTED);
                selector(data, w);
                writeWords(data, w, w + inner, depth + 1);
                w += inner + 28 - 32;
                continue;
            }
            int lead = 0;
            while (lead < 32 && data[w + lead] == 0) {
                lead++;
            }
            byte[] last = lead == 32 ? null : slots.put(slotKey(sel, w - off), Arrays.copyOfRange(data, w, w + 32));
            if (last != null && Arrays.equals(last, 0, 32, data, w, w + 32)) {
                codes.put(WORD_SAME_SLOT);
                continue;
            }
            if (lead >= 12 && lead <= 15) {
                codes.put(WORD_ADDRESS);
                address(col(Column.WORD_ADDR_REF), data, w + 12, 0);
                continue;
            }
            int trail = 0;
            if (lead == 0) {
                while (trail < 31 && data[w + 31 - trail] == 0) {
                    trail++;
                }
            }
            if (trail > 0) {
                int keep = 32 - trail;
                codes.put(WORD_TRAILING_BASE + keep);
                words.put(data, w, keep);
            } else {
                codes.put(lead);
                words.put(data, w + lead, 32 - lead);
            }
        }
    }

    /**
     * The length of a call embedded at {@code w} as an ABI {@code bytes} value (multicalls, routers):
     * the word before it, inside this call's words, holds a length {@code 4 + 32·k} (k ≥ 1) whose value
     * and 28 padding bytes fit before {@code end}; -1 otherwise. Its words, 4 bytes off the outer
     * grid, are then coded on their own grid. Both sides test this on bytes already known.
     */
    static int embeddedLength(byte[] data, int first, int w, int end) {
        if (w - 32 < first || !zeroFrom(data, w - 32, 28)) {
            return -1;
        }
        long len = ((data[w - 4] & 0xFFL) << 24) | ((data[w - 3] & 0xFF) << 16) | ((data[w - 2] & 0xFF) << 8)
                | (data[w - 1] & 0xFF);
        return len >= 36 && (len - 4) % 32 == 0 && len + 28 <= end - w ? (int) len : -1;
    }

    static boolean zeroFrom(byte[] data, int from, int n) {
        for (int i = from; i < from + n; i++) {
            if (data[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** A word's slot: the call's selector and the word's offset in the calldata. */
    static long slotKey(int selector, int offset) {
        return ((long) selector << 32) | offset;
    }

    static long readLong(byte[] src, int off) {
        long v = 0;
        int end = Math.min(off + 8, src.length);
        for (int i = off; i < end; i++) {
            v = (v << 8) | (src[i] & 0xFF);
        }
        return v << (8 * (8 - (end - off)));
    }
}
