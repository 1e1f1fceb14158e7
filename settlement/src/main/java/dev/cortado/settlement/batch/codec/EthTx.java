package dev.cortado.settlement.batch.codec;

import java.util.Arrays;

/**
 * A signed Ethereum transaction split into its RLP fields: legacy, or EIP-2718 types 1 to 4. Byte
 * strings hold their payload; the three list fields (access list, blob hashes, authorizations) hold
 * the whole raw item, which the codec carries opaquely.
 */
record EthTx(int type, Field[] layout, byte[][] values) {

    /** What each RLP position means, which picks the column it is written to. */
    enum Field { CHAIN_ID, NONCE, GAS_PRICE, MAX_FEE, GAS, TO, VALUE, DATA, ACCESS_LIST, BLOB_FEE, BLOB_HASHES, AUTH_LIST, V, R, S;
        boolean rawList() {
            return this == ACCESS_LIST || this == BLOB_HASHES || this == AUTH_LIST;
        }
    }

    /** Legacy is type 0 here; the others are their EIP-2718 type byte. */
    static final int LEGACY = 0;

    private static final Field[][] LAYOUTS = {
        {Field.NONCE, Field.GAS_PRICE, Field.GAS, Field.TO, Field.VALUE, Field.DATA, Field.V, Field.R, Field.S},
        {Field.CHAIN_ID, Field.NONCE, Field.GAS_PRICE, Field.GAS, Field.TO, Field.VALUE, Field.DATA, Field.ACCESS_LIST,
            Field.V, Field.R, Field.S},
        {Field.CHAIN_ID, Field.NONCE, Field.GAS_PRICE, Field.MAX_FEE, Field.GAS, Field.TO, Field.VALUE, Field.DATA,
            Field.ACCESS_LIST, Field.V, Field.R, Field.S},
        {Field.CHAIN_ID, Field.NONCE, Field.GAS_PRICE, Field.MAX_FEE, Field.GAS, Field.TO, Field.VALUE, Field.DATA,
            Field.ACCESS_LIST, Field.BLOB_FEE, Field.BLOB_HASHES, Field.V, Field.R, Field.S},
        {Field.CHAIN_ID, Field.NONCE, Field.GAS_PRICE, Field.MAX_FEE, Field.GAS, Field.TO, Field.VALUE, Field.DATA,
            Field.ACCESS_LIST, Field.AUTH_LIST, Field.V, Field.R, Field.S},
    };

    static Field[] layout(int type) {
        return LAYOUTS[type];
    }

    /**
     * Parses {@code raw}; null when it is not a transaction this codec splits (then the codec keeps
     * it whole). Scalars longer than 32 bytes and {@code to} fields of another length than 0 or 20 count as
     * not parsing.
     */
    static EthTx parse(byte[] raw) {
        if (raw.length == 0) {
            return null;
        }
        int first = raw[0] & 0xFF;
        int type;
        int off;
        if (first >= 0xC0) {
            type = LEGACY;
            off = 0;
        } else if (first >= 1 && first <= 4) {
            type = first;
            off = 1;
        } else {
            return null;
        }
        Rlp.Item list = Rlp.item(raw, off, raw.length);
        if (list == null || !list.list() || list.end() != raw.length) {
            return null;
        }
        Field[] layout = LAYOUTS[type];
        byte[][] values = new byte[layout.length][];
        int pos = list.payloadOffset();
        int end = list.end();
        for (int i = 0; i < layout.length; i++) {
            Rlp.Item item = Rlp.item(raw, pos, end);
            if (item == null) {
                return null;
            }
            Field f = layout[i];
            if (f.rawList()) {
                if (!item.list()) {
                    return null;
                }
                values[i] = Arrays.copyOfRange(raw, pos, item.end());
            } else {
                if (item.list()) {
                    return null;
                }
                if (f == Field.TO ? item.payloadLength() != 0 && item.payloadLength() != 20
                        : f != Field.DATA && item.payloadLength() > 32) {
                    return null;
                }
                values[i] = item.payload(raw);
            }
            pos = item.end();
        }
        return pos == end ? new EthTx(type, layout, values) : null;
    }

    /** The canonical encoding of these fields. */
    void encode(ByteSink out) {
        encode(out, payloadLength());
    }

    private void encode(ByteSink out, int payload) {
        if (type != LEGACY) {
            out.put(type);
        }
        Rlp.putListHeader(out, payload);
        for (int i = 0; i < layout.length; i++) {
            if (layout[i].rawList()) {
                out.put(values[i]);
            } else {
                Rlp.putString(out, values[i]);
            }
        }
    }

    private int payloadLength() {
        int payload = 0;
        for (int i = 0; i < layout.length; i++) {
            payload += layout[i].rawList() ? values[i].length : Rlp.stringLength(values[i]);
        }
        return payload;
    }

    byte[] encode() {
        int payload = payloadLength();
        ByteSink out = new ByteSink((type != LEGACY ? 1 : 0) + Rlp.headerLength(payload) + payload);
        encode(out, payload);
        return out.toArray();
    }
}
