package dev.cortado.settlement.batch.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds a batch from the columns {@link EthColumnsEncoder} wrote. Every count, index and length
 * is checked against the column bytes that remain, and the transaction bytes produced are checked
 * against the budget the frame declared, so no input makes it allocate more than that budget.
 */
final class EthColumnsDecoder {
    private final ByteSource[] cols = new ByteSource[Column.ALL.length];
    private final List<byte[]> addresses = new ArrayList<>();
    private final List<byte[]> selectors = new ArrayList<>();
    /** Last non-zero word per slot; at most one entry per decoded word, so bounded by the budget. */
    private final Map<Long, byte[]> slots = new HashMap<>();
    private final CallContexts contexts = new CallContexts();
    private long[] ctx;
    private final long[] holder = new long[1];
    private long budgetBytes;
    private long prevChain;
    private final long[] prevV = new long[5];

    EthColumnsDecoder(byte[][] columns, long budgetBytes) {
        for (Column c : Column.ALL) {
            cols[c.ordinal()] = new ByteSource(columns[c.ordinal()], "column " + c);
        }
        this.budgetBytes = budgetBytes;
    }

    private ByteSource col(Column c) {
        return cols[c.ordinal()];
    }

    private void spend(long n, String what) {
        budgetBytes -= n;
        if (budgetBytes < 0) {
            throw new BatchDecodeException(what + " goes past the declared batch size");
        }
    }

    BatchContent read(long firstHeight, long lastHeight) {
        ByteSource st = col(Column.STRUCT);
        int blockCount = st.boundedVarint(st.remaining(), "block count");
        List<BatchContent.Block> blocks = new ArrayList<>(blockCount);
        long prev = firstHeight;
        for (int b = 0; b < blockCount; b++) {
            long delta = st.varint();
            if (delta < 0 || delta > lastHeight - prev || (b > 0 && delta == 0)) {
                throw new BatchDecodeException("block " + b + ": height delta " + delta + " leaves the range or repeats");
            }
            long height = prev + delta;
            prev = height;
            int wlen = st.boundedVarint(col(Column.WITNESS).remaining(), "witness length");
            spend(wlen, "witness");
            byte[] witness = col(Column.WITNESS).get(wlen);
            int nsCount = st.boundedVarint(st.remaining(), "namespace count");
            List<BatchContent.Namespace> namespaces = new ArrayList<>(nsCount);
            long prevNs = -1;
            for (int n = 0; n < nsCount; n++) {
                long id = st.varint();
                if (id <= prevNs) {
                    throw new BatchDecodeException("block " + height + ": namespace " + id + " does not ascend");
                }
                prevNs = id;
                namespaces.add(readNamespace(st, id));
            }
            blocks.add(new BatchContent.Block(height, witness, namespaces));
        }
        for (Column c : Column.ALL) {
            if (col(c).remaining() != 0) {
                throw new BatchDecodeException("column " + c + " has " + col(c).remaining() + " bytes left over");
            }
        }
        return new BatchContent(firstHeight, lastHeight, blocks);
    }

    private BatchContent.Namespace readNamespace(ByteSource st, long id) {
        int txCount = st.boundedVarint(budgetBytes, "transaction count");
        int mode = st.get();
        if (mode != EthColumnsEncoder.MODE_RAW && mode != EthColumnsEncoder.MODE_ETH) {
            throw new BatchDecodeException("namespace " + id + ": unknown mode " + mode);
        }
        List<byte[]> txs = new ArrayList<>(Math.min(txCount, 4096));
        for (int t = 0; t < txCount; t++) {
            int kind = mode == EthColumnsEncoder.MODE_RAW ? EthColumnsEncoder.KIND_ESCAPED : col(Column.KIND).get();
            byte[] tx;
            if (kind == EthColumnsEncoder.KIND_ESCAPED) {
                int len = col(Column.DATA_LEN).boundedVarint(col(Column.RAW).remaining(), "raw transaction length");
                tx = col(Column.RAW).get(len);
            } else if (kind <= 4) {
                tx = readFields(kind).encode();
            } else {
                throw new BatchDecodeException("namespace " + id + ": unknown transaction kind " + kind);
            }
            spend(tx.length + 1L, "transaction " + t + " of namespace " + id);
            txs.add(tx);
        }
        return new BatchContent.Namespace(id, txs);
    }

    private EthTx readFields(int type) {
        EthTx.Field[] layout = EthTx.layout(type);
        byte[][] values = new byte[layout.length][];
        int[] order = CallContexts.order(type);
        for (int i : order) {
            if (i == order[2]) {
                ctx = contexts.of(values[order[0]], values[order[1]]);
            }
            values[i] = switch (layout[i]) {
                case CHAIN_ID -> {
                    byte[] v = Scalars.get(col(Column.CHAIN), prevChain, holder);
                    prevChain = holder[0];
                    yield v;
                }
                case NONCE -> scalar(Column.NONCE, CallContexts.NONCE);
                case GAS_PRICE -> scalar(Column.FEE, CallContexts.TIP);
                case MAX_FEE -> scalar(Column.FEE, CallContexts.MAX_FEE);
                case BLOB_FEE -> Scalars.get(col(Column.FEE), 0, holder);
                case GAS -> scalar(Column.GAS, CallContexts.GAS);
                case VALUE -> scalar(Column.VALUE, CallContexts.VALUE);
                case V -> {
                    byte[] v = Scalars.get(col(Column.V), prevV[type], holder);
                    prevV[type] = holder[0];
                    yield v;
                }
                case TO -> {
                    int ref = col(Column.TO_REF).boundedVarint(addresses.size() + 1L, "address reference");
                    yield ref == 0 ? new byte[0] : address(ref - 1);
                }
                case DATA -> readData();
                case ACCESS_LIST, BLOB_HASHES, AUTH_LIST -> {
                    int len = col(Column.LISTS).boundedVarint(col(Column.LISTS).remaining(), "list length");
                    byte[] v = col(Column.LISTS).get(len);
                    Rlp.Item item = Rlp.item(v, 0, v.length);
                    if (item == null || !item.list() || item.end() != v.length) {
                        throw new BatchDecodeException(layout[i] + " is not one RLP list");
                    }
                    yield v;
                }
                case R, S -> {
                    int len = col(Column.SIG_LEN).boundedVarint(32, "signature scalar length");
                    yield col(Column.SIG).get(len);
                }
            };
        }
        return new EthTx(type, layout, values);
    }

    /** A scalar delta-coded against the call target's last value, which it then replaces. */
    private byte[] scalar(Column column, int slot) {
        byte[] v = Scalars.get(col(column), ctx[slot], holder);
        ctx[slot] = holder[0];
        return v;
    }

    /** {@code ref} 0 is a new literal, {@code 1 + k} dictionary entry k. */
    private byte[] address(int ref) {
        if (ref == 0) {
            byte[] a = col(Column.ADDR_LIT).get(20);
            addresses.add(a);
            return a;
        }
        return addresses.get(ref - 1);
    }

    private byte[] readData() {
        int len = col(Column.DATA_LEN).boundedVarint(budgetBytes, "calldata length");
        byte[] data = new byte[len];
        if (len < 4) {
            col(Column.DATA).get(data, 0, len);
            return data;
        }
        readSelector(data, 0);
        if ((len - 4) % 32 != 0) {
            col(Column.DATA).get(data, 4, len - 4);
            return data;
        }
        readWords(data, 0, len, 0);
        return data;
    }

    private void readSelector(byte[] data, int off) {
        int sel = col(Column.SEL_REF).boundedVarint(selectors.size(), "selector reference");
        if (sel == 0) {
            byte[] s = col(Column.SEL_LIT).get(4);
            selectors.add(s);
            System.arraycopy(s, 0, data, off, 4);
        } else {
            System.arraycopy(selectors.get(sel - 1), 0, data, off, 4);
        }
    }

    private void readWords(byte[] data, int off, int end, int depth) {
        ByteSource codes = col(Column.WORD_CODE);
        ByteSource words = col(Column.WORDS);
        int sel32 = (int) (EthColumnsEncoder.readLong(data, off) >>> 32);
        for (int w = off + 4; w < end; w += 32) {
            int code = codes.get();
            if (code == EthColumnsEncoder.WORD_NESTED) {
                int inner = depth < EthColumnsEncoder.MAX_NESTING ? EthColumnsEncoder.embeddedLength(data, off + 4, w, end) : -1;
                if (inner < 0) {
                    throw new BatchDecodeException("word at offset " + w + ": no embedded call fits there at depth " + depth);
                }
                readSelector(data, w);
                readWords(data, w, w + inner, depth + 1);
                w += inner + 28 - 32;
                continue;
            }
            long key = EthColumnsEncoder.slotKey(sel32, w - off);
            if (code == EthColumnsEncoder.WORD_SAME_SLOT) {
                byte[] last = slots.get(key);
                if (last == null) {
                    throw new BatchDecodeException("word at offset " + w + " repeats a slot that has no word yet");
                }
                System.arraycopy(last, 0, data, w, 32);
                continue;
            }
            if (code <= 32) {
                words.get(data, w + code, 32 - code);
            } else if (code == EthColumnsEncoder.WORD_ADDRESS) {
                int ref = col(Column.WORD_ADDR_REF).boundedVarint(addresses.size(), "word address reference");
                System.arraycopy(address(ref), 0, data, w + 12, 20);
            } else if (code <= EthColumnsEncoder.WORD_TRAILING_BASE + 31) {
                words.get(data, w, code - EthColumnsEncoder.WORD_TRAILING_BASE);
            } else {
                throw new BatchDecodeException("unknown word code " + code);
            }
            if (code != 32) {
                slots.put(key, Arrays.copyOfRange(data, w, w + 32));
            }
        }
    }
}
