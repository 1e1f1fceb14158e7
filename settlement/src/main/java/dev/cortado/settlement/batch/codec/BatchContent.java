package dev.cortado.settlement.batch.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What one batch carries: the HotShot heights {@code [firstHeight, lastHeight]} and, for each height
 * with data, a witness (what a reader needs to verify the block: opaque to the codecs) and the
 * transactions of each posted namespace. Heights without an entry carry no transaction of the posted
 * namespaces.
 */
public record BatchContent(long firstHeight, long lastHeight, List<Block> blocks) {

    public BatchContent {
        if (firstHeight < 0 || lastHeight < firstHeight) {
            throw new IllegalArgumentException("bad range " + firstHeight + ".." + lastHeight);
        }
        blocks = List.copyOf(blocks);
        long prev = -1;
        for (Block b : blocks) {
            if (b.height() < firstHeight || b.height() > lastHeight || b.height() <= prev) {
                throw new IllegalArgumentException("block height " + b.height() + " out of order or outside the range");
            }
            prev = b.height();
        }
    }

    /** One height's entry. */
    public record Block(long height, byte[] witness, List<Namespace> namespaces) {
        public Block {
            Objects.requireNonNull(witness, "witness");
            namespaces = List.copyOf(namespaces);
            long prev = -1;
            for (Namespace ns : namespaces) {
                if (ns.id() <= prev) {
                    throw new IllegalArgumentException("namespaces must ascend, got " + ns.id() + " after " + prev);
                }
                prev = ns.id();
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Block b && b.height == height && Arrays.equals(b.witness, witness)
                    && b.namespaces.equals(namespaces);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(height) * 31 + Arrays.hashCode(witness);
        }
    }

    /** One namespace's transactions at one height, in block order. */
    public record Namespace(long id, List<byte[]> transactions) {
        public Namespace {
            if (id < 0) {
                throw new IllegalArgumentException("namespace id " + id + " is negative");
            }
            transactions = List.copyOf(transactions);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Namespace n) || n.id != id || n.transactions.size() != transactions.size()) {
                return false;
            }
            for (int i = 0; i < transactions.size(); i++) {
                if (!Arrays.equals(n.transactions.get(i), transactions.get(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(id) * 31 + transactions.size();
        }
    }

    /** Transaction bytes summed over every block and namespace. */
    public long transactionBytes() {
        long n = 0;
        for (Block b : blocks) {
            for (Namespace ns : b.namespaces()) {
                for (byte[] tx : ns.transactions()) {
                    n += tx.length;
                }
            }
        }
        return n;
    }

    /** The length of {@link #toPlain()}, without building it (the column codec needs only the length). */
    public int plainLength() {
        long n = 16L + ByteSink.varintLength(blocks.size());
        long prev = firstHeight;
        for (Block b : blocks) {
            n += ByteSink.varintLength(b.height() - prev) + ByteSink.varintLength(b.witness().length) + b.witness().length
                    + ByteSink.varintLength(b.namespaces().size());
            prev = b.height();
            for (Namespace ns : b.namespaces()) {
                n += ByteSink.varintLength(ns.id()) + ByteSink.varintLength(ns.transactions().size());
                for (byte[] tx : ns.transactions()) {
                    n += ByteSink.varintLength(tx.length) + tx.length;
                }
            }
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    /** The plain (uncompressed) form documented in docs/architecture.md. */
    public byte[] toPlain() {
        ByteSink out = new ByteSink(plainLength());
        out.putU64(firstHeight);
        out.putU64(lastHeight);
        out.putVarint(blocks.size());
        long prev = firstHeight;
        for (Block b : blocks) {
            out.putVarint(b.height() - prev);
            prev = b.height();
            out.putVarint(b.witness().length);
            out.put(b.witness());
            out.putVarint(b.namespaces().size());
            for (Namespace ns : b.namespaces()) {
                out.putVarint(ns.id());
                out.putVarint(ns.transactions().size());
                for (byte[] tx : ns.transactions()) {
                    out.putVarint(tx.length);
                    out.put(tx);
                }
            }
        }
        return out.toArray();
    }

    /** Parses the plain form; every count and length is checked against the bytes that remain. */
    public static BatchContent fromPlain(byte[] plain) {
        ByteSource in = new ByteSource(plain, "batch plain form");
        long first = in.u64();
        long last = in.u64();
        if (first < 0 || last < first) {
            throw new BatchDecodeException("batch range " + first + ".." + last + " is invalid");
        }
        int blockCount = in.boundedVarint(in.remaining(), "block count");
        List<Block> blocks = new ArrayList<>(blockCount);
        long prev = first;
        for (int b = 0; b < blockCount; b++) {
            long delta = in.varint();
            if (delta < 0 || delta > last - prev || (b > 0 && delta == 0)) {
                throw new BatchDecodeException("block " + b + ": height delta " + delta + " leaves the range or repeats");
            }
            long height = prev + delta;
            prev = height;
            byte[] witness = in.get(in.boundedVarint(in.remaining(), "witness length"));
            int nsCount = in.boundedVarint(in.remaining(), "namespace count");
            List<Namespace> namespaces = new ArrayList<>(nsCount);
            long prevNs = -1;
            for (int n = 0; n < nsCount; n++) {
                long id = in.varint();
                if (id <= prevNs) {
                    throw new BatchDecodeException("block " + height + ": namespace " + id + " does not ascend");
                }
                prevNs = id;
                int txCount = in.boundedVarint(in.remaining(), "transaction count");
                List<byte[]> txs = new ArrayList<>(txCount);
                for (int t = 0; t < txCount; t++) {
                    txs.add(in.get(in.boundedVarint(in.remaining(), "transaction length")));
                }
                namespaces.add(new Namespace(id, txs));
            }
            blocks.add(new Block(height, witness, namespaces));
        }
        if (in.remaining() != 0) {
            throw new BatchDecodeException("batch plain form has " + in.remaining() + " trailing bytes");
        }
        return new BatchContent(first, last, blocks);
    }
}
