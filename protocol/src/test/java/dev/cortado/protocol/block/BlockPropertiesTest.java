package dev.cortado.protocol.block;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class BlockPropertiesTest {

    @Property(tries = 60)
    void anyTransactionListRoundTripsAndEveryProofVerifies(@ForAll @IntRange(min = 0, max = 60) int txCount,
            @ForAll @IntRange(min = 1, max = 8) int namespaces, @ForAll long seed) {
        Random rnd = new Random(seed);
        List<Transaction> txs = new ArrayList<>();
        for (int i = 0; i < txCount; i++) {
            byte[] body = new byte[rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(200)];
            rnd.nextBytes(body);
            txs.add(new Transaction(NamespaceId.of(rnd.nextInt(namespaces) * 1_000_003L), body));
        }
        BlockPayload p = BlockPayload.build(txs);
        BlockPayload q = BlockPayload.parse(p.nsTableBytes(), p.bytes());
        assertEquals(p.payloadRoot(), q.payloadRoot());
        assertEquals(p.allTransactions(), q.allTransactions());
        BlockHeader header = BlockFixtures.header(1, q, Bytes32.ZERO);
        for (NamespaceId ns : p.namespaces()) {
            List<Transaction> inOrder = txs.stream().filter(t -> t.namespace().equals(ns)).toList();
            assertEquals(inOrder, p.namespaceProof(ns).verify(header));
            for (int i = 0; i < inOrder.size(); i++) {
                assertEquals(inOrder.get(i), p.transactionProof(ns, i).verify(header));
            }
        }
        assertEquals(List.of(), p.namespaceProof(NamespaceId.of(7)).verify(header));
    }
}
