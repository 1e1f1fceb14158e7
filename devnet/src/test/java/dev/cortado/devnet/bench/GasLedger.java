package dev.cortado.devnet.bench;

import dev.cortado.contracts.generated.SequencingMarketplace;
import dev.cortado.devnet.l1.L1Devnet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.Transaction;

/**
 * Gas from receipts, grouped by marketplace operation (by the call's selector), over a block range.
 * Only transactions to the marketplace are counted, so funding transfers and the like stay out.
 */
final class GasLedger {
    enum Op { DEPOSIT, COMMIT, REVEAL, RESOLVE, SETTLE, OTHER }

    /** How many transactions of one operation and their summed gasUsed. */
    record Sum(int count, long gas) {
        Sum plus(Sum o) {
            return new Sum(count + o.count, gas + o.gas);
        }

        long mean() {
            return count == 0 ? 0 : gas / count;
        }
    }

    private final L1Devnet l1;
    private final String market;
    private final Map<String, Op> bySelector = new HashMap<>();

    GasLedger(L1Devnet l1, SequencingMarketplace m) {
        this.l1 = l1;
        this.market = m.getContractAddress().toLowerCase(Locale.ROOT);
        BigInteger one = BigInteger.ONE;
        bySelector.put(selector(m.deposit(one).encodeFunctionCall()), Op.DEPOSIT);
        bySelector.put(selector(m.commitBid(one, new byte[32], one, BigInteger.ZERO).encodeFunctionCall()), Op.COMMIT);
        bySelector.put(selector(m.revealBid(one, one, one, one, "0x" + "0".repeat(40), new byte[32]).encodeFunctionCall()),
                Op.REVEAL);
        bySelector.put(selector(m.submitAllocation(one, List.of(one)).encodeFunctionCall()), Op.RESOLVE);
        bySelector.put(selector(m.settleBid(one, one).encodeFunctionCall()), Op.SETTLE);
    }

    /** Gas per operation of the marketplace transactions in blocks {@code from..to}, except those {@code excluded} sent. */
    Map<Op, Sum> between(long from, long to, String... excluded) {
        Set<String> skip = Arrays.stream(excluded).map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        Map<Op, Sum> out = new EnumMap<>(Op.class);
        for (Transaction tx : transactions(from, to)) {
            if (tx.getTo() == null || !tx.getTo().toLowerCase(Locale.ROOT).equals(market)) continue;
            if (skip.contains(tx.getFrom().toLowerCase(Locale.ROOT))) continue;
            Op op = bySelector.getOrDefault(selector(tx.getInput()), Op.OTHER);
            out.merge(op, new Sum(1, gasUsed(tx.getHash())), Sum::plus);
        }
        return out;
    }

    /** Summed gasUsed of the transactions {@code senders} sent in blocks {@code from..to}, to any address. */
    long sentBy(long from, long to, Set<String> senders) {
        Set<String> lower = senders.stream().map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        long sum = 0;
        for (Transaction tx : transactions(from, to)) {
            if (lower.contains(tx.getFrom().toLowerCase(Locale.ROOT))) sum += gasUsed(tx.getHash());
        }
        return sum;
    }

    private List<Transaction> transactions(long from, long to) {
        try {
            List<Transaction> out = new java.util.ArrayList<>();
            for (long n = from; n <= to; n++) {
                var block = l1.web3j().ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(n)), true).send()
                        .getBlock();
                for (var t : block.getTransactions()) out.add((Transaction) t.get());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long gasUsed(String txHash) {
        try {
            return l1.web3j().ethGetTransactionReceipt(txHash).send().getTransactionReceipt().orElseThrow().getGasUsed()
                    .longValueExact();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String selector(String input) {
        return input.length() < 10 ? input : input.substring(0, 10).toLowerCase(Locale.ROOT);
    }
}
