package dev.cortado.settlement.batch.codec;

/**
 * The columns of the Ethereum transaction codec, in body order. Each is compressed on its own,
 * because their statistics differ (ABI words, varints, dictionary indexes); signatures are stored,
 * since no compressor gains on them.
 */
enum Column {
    STRUCT, WITNESS, KIND, CHAIN, NONCE, FEE, GAS, TO_REF, ADDR_LIT, SEL_REF, SEL_LIT, VALUE, DATA_LEN, DATA,
    WORD_CODE, WORDS, WORD_ADDR_REF, LISTS, V, SIG, RAW;

    static final Column[] ALL = values();

    boolean stored() {
        return this == SIG;
    }
}
