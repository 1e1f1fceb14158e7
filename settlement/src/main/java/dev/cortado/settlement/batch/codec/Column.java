package dev.cortado.settlement.batch.codec;

/**
 * The columns of the Ethereum transaction codec, in body order. Each is compressed on its own,
 * because their statistics differ (ABI words, varints, dictionary indexes); signatures are stored,
 * since no compressor gains on them.
 */
enum Column {
    STRUCT, WITNESS, KIND, CHAIN, NONCE, FEE, GAS, TO_REF, ADDR_LIT, SEL_REF, SEL_LIT, VALUE, DATA_LEN, DATA,
    WORD_CODE, WORDS, WORD_ADDR_REF, LISTS, V, SIG_LEN, SIG, RAW;

    static final Column[] ALL = values();

    /** The columns that can hold a good part of a batch (the others are a few bytes per transaction). */
    boolean large() {
        return this == ADDR_LIT || this == DATA || this == WORDS || this == SIG || this == RAW;
    }

    boolean stored() {
        return this == SIG;
    }
}
