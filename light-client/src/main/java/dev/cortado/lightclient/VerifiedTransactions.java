package dev.cortado.lightclient;

import dev.cortado.protocol.block.NamespaceId;
import java.util.List;

/**
 * The namespace's transactions in blocks {@code fromHeight .. toHeight} (inclusive), every one proven
 * against the certified state {@code certifiedBy}; continue from {@code nextHeight}. When nothing new is
 * certified yet, {@code toHeight = fromHeight - 1} and the list is empty.
 */
public record VerifiedTransactions(NamespaceId namespace, long fromHeight, long toHeight, CertifiedState certifiedBy,
        List<VerifiedTransaction> transactions) {
    public VerifiedTransactions {
        transactions = List.copyOf(transactions);
    }

    public long nextHeight() {
        return toHeight + 1;
    }
}
