package dev.cortado.protocol.market;

import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * An atomic group of transactions, for one or more namespaces, that a sequencer wants decided together in one
 * block of {@code window}. It is signed as EIP-712 typed data, so any wallet library can produce the signature:
 * <pre>
 * EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)
 *   name = "Cortado Bundle", version = "1", verifyingContract = the SequencingMarketplace
 * Bundle(uint64 window,uint64 sequence,uint64 expirySlot,BundleEntry[] entries)BundleEntry(uint64 namespace,bytes32 txHash)
 * </pre>
 * The chain id and marketplace address in the domain stop a bundle from replaying on another chain or network;
 * the window and the per-sequencer sequence number stop it from replaying inside one.
 */
public record Bundle(long chainId, Address marketplace, long window, long sequence, long expirySlot,
                     List<Transaction> transactions) {
    /** Bounds decoding and per-bundle work; a block holds far fewer transactions of one sequencer. */
    public static final int MAX_TRANSACTIONS = 4096;

    public static final String DOMAIN_NAME = "Cortado Bundle";
    public static final String DOMAIN_VERSION = "1";
    static final Bytes32 DOMAIN_TYPEHASH = typeHash(
            "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    static final Bytes32 ENTRY_TYPEHASH = typeHash("BundleEntry(uint64 namespace,bytes32 txHash)");
    static final Bytes32 BUNDLE_TYPEHASH = typeHash("Bundle(uint64 window,uint64 sequence,uint64 expirySlot,"
            + "BundleEntry[] entries)BundleEntry(uint64 namespace,bytes32 txHash)");

    public Bundle {
        if (marketplace == null || transactions == null) {
            throw new IllegalArgumentException("a bundle needs a marketplace address and a transaction list");
        }
        if (chainId <= 0) throw new IllegalArgumentException("bundle chain id must be positive, got " + chainId);
        if (window < 0 || sequence < 0 || expirySlot < 0) {
            throw new IllegalArgumentException("bundle window, sequence and expiry slot must not be negative");
        }
        if (transactions.isEmpty() || transactions.size() > MAX_TRANSACTIONS) {
            throw new IllegalArgumentException("a bundle holds 1 to " + MAX_TRANSACTIONS + " transactions, got "
                    + transactions.size());
        }
        transactions = List.copyOf(transactions);
        Set<Bytes32> seen = new HashSet<>();
        for (Transaction tx : transactions) {
            if (!seen.add(tx.hash())) {
                throw new IllegalArgumentException("bundle lists transaction " + tx.hash() + " twice");
            }
            if (tx.namespace().value() == BundleRecord.NAMESPACE) {
                throw new IllegalArgumentException("a bundle may not hold a transaction of the reserved namespace "
                        + Long.toUnsignedString(BundleRecord.NAMESPACE));
            }
        }
    }

    /** The namespaces this bundle touches, ascending. */
    public Set<Long> namespaces() {
        Set<Long> out = new TreeSet<>();
        for (Transaction tx : transactions) out.add(tx.namespace().value());
        return out;
    }

    /** The entries the signature covers: each transaction's namespace and hash, in bundle order. */
    public List<BundleEntry> entries() {
        return transactions.stream().map(tx -> new BundleEntry(tx.namespace(), tx.hash())).toList();
    }

    public Bytes32 domainSeparator() {
        return domainSeparator(chainId, marketplace);
    }

    static Bytes32 domainSeparator(long chainId, Address marketplace) {
        return Abi.encoder().bytes32(DOMAIN_TYPEHASH)
                .bytes32(Keccak.hash(DOMAIN_NAME.getBytes(StandardCharsets.UTF_8)))
                .bytes32(Keccak.hash(DOMAIN_VERSION.getBytes(StandardCharsets.UTF_8)))
                .uint256(chainId).address(marketplace).hash();
    }

    public Bytes32 structHash() {
        return structHash(window, sequence, expirySlot, entries());
    }

    static Bytes32 structHash(long window, long sequence, long expirySlot, List<BundleEntry> entries) {
        Abi.Encoder list = Abi.encoder();
        for (BundleEntry e : entries) {
            list.bytes32(Abi.encoder().bytes32(ENTRY_TYPEHASH).uint64(e.namespace().value()).bytes32(e.txHash()).hash());
        }
        return Abi.encoder().bytes32(BUNDLE_TYPEHASH).uint64(window).uint64(sequence).uint64(expirySlot)
                .bytes32(list.hash()).hash();
    }

    /** {@code keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ structHash)}: what the sequencer signs, and the bundle's id. */
    public Bytes32 digest() {
        return digestOf(chainId, marketplace, window, sequence, expirySlot, entries());
    }

    /** The same digest from the signed fields alone, as a block's {@link BundleRecord} carries them. */
    static Bytes32 digestOf(long chainId, Address marketplace, long window, long sequence, long expirySlot,
                            List<BundleEntry> entries) {
        byte[] prefix = {0x19, 0x01};
        return Keccak.hash(prefix, domainSeparator(chainId, marketplace).bytes(),
                structHash(window, sequence, expirySlot, entries).bytes());
    }

    public SignedBundle sign(Secp256k1.KeyPair key) {
        return new SignedBundle(this, Secp256k1.sign(digest(), key));
    }

    private static Bytes32 typeHash(String type) {
        return Keccak.hash(type.getBytes(StandardCharsets.US_ASCII));
    }
}
