package dev.cortado.devnet.contracts;

import static dev.cortado.devnet.contracts.SequencingMarketplaceTest.BEN_A;
import static dev.cortado.devnet.contracts.SequencingMarketplaceTest.BEN_B;
import static dev.cortado.devnet.contracts.SequencingMarketplaceTest.BEN_C;
import static dev.cortado.devnet.contracts.SequencingMarketplaceTest.DEF_A;
import static dev.cortado.devnet.contracts.SequencingMarketplaceTest.DEF_B;
import static dev.cortado.devnet.contracts.SequencingMarketplaceTest.SEQ_X;
import static dev.cortado.devnet.contracts.support.Auction.bundle;
import static dev.cortado.devnet.contracts.support.Auction.salt;
import static dev.cortado.devnet.contracts.support.Chain.addr;
import static dev.cortado.devnet.contracts.support.Chain.assertReverts;
import static dev.cortado.devnet.contracts.support.Chain.error;
import static dev.cortado.devnet.contracts.support.Chain.ok;
import static dev.cortado.devnet.contracts.support.Chain.u;
import static dev.cortado.devnet.contracts.support.Chain.u64;
import static dev.cortado.devnet.contracts.support.Chain.u8;
import static dev.cortado.devnet.contracts.support.Market.WINDOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.contracts.generated.SequencingMarketplace;
import dev.cortado.devnet.contracts.support.Market;
import dev.cortado.devnet.contracts.support.OnAnvil;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The marketplace's rollup registry on Anvil: only the owner registers (no squatting, no
 * namespace front-running), operators deregister and hand their role on in two steps, vacant
 * indexes are reused, terms change only for windows whose auction has not started.
 */
class MarketplaceRegistryTest extends OnAnvil {
    private static final String ZERO = "0x0000000000000000000000000000000000000000";
    private Credentials operatorA;

    @BeforeAll
    void roles() {
        operatorA = l1.accounts().get(4);
    }

    private Market deploy() throws Exception {
        return Market.deploy(l1, owner, l1.accounts().get(9).getAddress(), 8, 100, 10);
    }

    @Test
    void onlyTheRegistrarRegistersAndANamespaceHasOneHolder() throws Exception {
        Market mk = deploy();
        SequencingMarketplace byX = mk.as(x);
        // The squatter and the namespace front-runner of the finding: both refused.
        assertReverts(l1, x, mk.m(), byX.registerRollup(n(100), x.getAddress(), n(1), DEF_A, BEN_A),
                error("OwnableUnauthorizedAccount(address)", addr(x.getAddress())));
        assertEquals(0, mk.register(owner, 100, operatorA, 1_000, DEF_A, BEN_A));
        assertReverts(l1, owner, mk.m(), mk.m().registerRollup(n(100), x.getAddress(), n(1), DEF_A, BEN_A),
                error("SequencingMarketplace__NamespaceTaken(uint64,uint8)", u64(100), u8(0)));
        assertReverts(l1, owner, mk.m(), mk.m().registerRollup(n(200), ZERO, n(1), DEF_A, BEN_A),
                error("SequencingMarketplace__ZeroAddress()"));
        var held = mk.m().rollupOf(n(0)).send();
        assertEquals(n(100), held.component1());
        assertEquals(operatorA.getAddress(), held.component2());
        assertEquals(n(0), mk.m().indexOfNamespace(n(100)).send());
        assertReverts(l1, x, mk.m(), mk.m().indexOfNamespace(n(555)),
                error("SequencingMarketplace__UnknownNamespace(uint64)", u64(555)));
        assertReverts(l1, x, mk.m(), mk.m().rollupOf(n(3)), error("SequencingMarketplace__UnknownRollup(uint256)", u(3)));
        // Ownership moves in two steps and is never renounced.
        // renounceOwnership is a view that always reverts, so web3j generates no method for it.
        var renounce = new org.web3j.protocol.core.RemoteFunctionCall<Void>(
                new org.web3j.abi.datatypes.Function("renounceOwnership", List.of(), List.of()), () -> null);
        assertReverts(l1, owner, mk.m(), renounce,
                error("SequencingMarketplace__RenounceDisabled()"));
        ok(mk.m().transferOwnership(y.getAddress()));
        assertEquals(owner.getAddress(), mk.m().owner().send());
        assertEquals(y.getAddress(), mk.m().pendingOwner().send());
        ok(mk.as(y).acceptOwnership());
        assertEquals(y.getAddress(), mk.m().owner().send());
        assertReverts(l1, owner, mk.m(), mk.m().registerRollup(n(300), x.getAddress(), n(1), DEF_A, BEN_A),
                error("OwnableUnauthorizedAccount(address)", addr(owner.getAddress())));
    }

    @Test
    void operatorsChangeTermsHandOverInTwoStepsAndDeregister() throws Exception {
        Market mk = deploy();
        SequencingMarketplace m = mk.m();
        mk.register(owner, 100, operatorA, 1_000, DEF_A, BEN_A);
        mk.register(owner, 200, operatorA, 2_000, DEF_B, BEN_B);
        SequencingMarketplace byA = mk.as(operatorA);
        assertReverts(l1, x, m, mk.as(x).updateRollupTerms(n(0), n(5), DEF_A, BEN_A),
                error("SequencingMarketplace__NotOperator(uint8,address)", u8(0), addr(x.getAddress())));
        assertReverts(l1, operatorA, m, byA.updateRollupTerms(n(7), n(5), DEF_A, BEN_A),
                error("SequencingMarketplace__UnknownRollup(uint256)", u(7)));

        // During window 1's commit phase (slot 5) a change applies from window 2 on.
        mk.clock().goToSlot(5);
        assertEquals(n(2), m.firstOpenWindow().send());
        TransactionReceipt upd = ok(byA.updateRollupTerms(n(0), n(7_000), DEF_B, BEN_C));
        assertEquals(n(2), SequencingMarketplace.getRollupTermsUpdatedEvents(upd).getFirst().effectiveWindow);
        assertEquals(n(1_000), m.termsAt(n(0), n(1)).send().component1());
        var later = m.termsAt(n(0), n(2)).send();
        assertEquals(List3.of(n(7_000), DEF_B, BEN_C), List3.of(later.component1(), later.component2(),
                later.component3()));
        // A second change before window 2's auction replaces the first.
        ok(byA.updateRollupTerms(n(0), n(8_000), DEF_A, BEN_A));
        assertEquals(n(8_000), m.termsAt(n(0), n(2)).send().component1());
        assertEquals(n(0), m.termsAt(n(0), n(0)).send().component1(), "before it joined");

        // Two-step hand-over: the offer alone changes nothing; only the offeree may accept.
        ok(byA.transferOperator(n(0), x.getAddress()));
        assertEquals(x.getAddress(), m.rollupStatusOf(n(0)).send().component2());
        assertReverts(l1, y, m, mk.as(y).acceptOperator(n(0)),
                error("SequencingMarketplace__NotPendingOperator(uint8,address)", u8(0), addr(y.getAddress())));
        ok(byA.updateRollupTerms(n(0), n(8_500), DEF_A, BEN_A));
        ok(mk.as(x).acceptOperator(n(0)));
        assertEquals(x.getAddress(), m.rollupOf(n(0)).send().component2());
        assertReverts(l1, operatorA, m, byA.updateRollupTerms(n(0), n(1), DEF_A, BEN_A),
                error("SequencingMarketplace__NotOperator(uint8,address)", u8(0), addr(operatorA.getAddress())));
        assertReverts(l1, y, m, mk.as(y).acceptOperator(n(9)), error("SequencingMarketplace__UnknownRollup(uint256)", u(9)));

        // Deregistration from window 2 on: window 1 (its auction running) still sells the rollup.
        assertReverts(l1, y, m, mk.as(y).deregisterRollup(n(0)),
                error("SequencingMarketplace__NotOperator(uint8,address)", u8(0), addr(y.getAddress())));
        TransactionReceipt gone = ok(mk.as(x).deregisterRollup(n(0)));
        assertEquals(n(2), SequencingMarketplace.getRollupDeregisteredEvents(gone).getFirst().effectiveWindow);
        assertTrue(m.rollupStatusOf(n(0)).send().component1());
        assertReverts(l1, x, m, mk.as(x).updateRollupTerms(n(0), n(1), DEF_A, BEN_A),
                error("SequencingMarketplace__RollupInactive(uint8)", u8(0)));
        assertReverts(l1, x, m, mk.as(x).deregisterRollup(n(0)),
                error("SequencingMarketplace__RollupInactive(uint8)", u8(0)));
        assertEquals(n(1_000), m.termsAt(n(0), n(1)).send().component1());
        assertEquals(n(0), m.termsAt(n(0), n(2)).send().component1());
        // The owner may evict too.
        ok(m.deregisterRollup(n(1)));

        // A new namespace takes the lowest vacant index from window 2 on.
        assertEquals(0, mk.register(owner, 300, operatorA, 10, DEF_B, BEN_B));
        var tenant = m.namespaceAt(n(0), n(2)).send();
        assertEquals(n(300), tenant.component1());
        assertTrue(tenant.component2());
        assertEquals(n(100), m.namespaceAt(n(0), n(1)).send().component1());
        assertFalse(m.rollupStatusOf(n(0)).send().component1());

        // In window 2 an old bid's bundle naming index 1 cannot be revealed; winners read per tenant.
        ok(mk.as(y).deposit(n(10_000)));
        mk.clock().goToSlot(15); // window 2 commits in slots 15-17
        BigInteger w2 = n(2);
        byte[] c = dev.cortado.devnet.contracts.support.Auction.commitment(l1.chainId(), mk.address(), 2,
                y.getAddress(), bundle(1), n(500), SEQ_X, salt(1));
        ok(mk.as(y).commitBid(w2, c, n(600), BigInteger.ZERO));
        mk.clock().goToSlot(18);
        assertReverts(l1, y, m, mk.as(y).revealBid(w2, n(0), bundle(1), n(500), SEQ_X, salt(1)),
                error("SequencingMarketplace__RollupNotInWindow(uint64,uint256)", u64(2), u(1)));
        mk.clock().goToSlot(22); // window 2 is final from slot 22
        assertEquals(DEF_A, m.winnerOf(n(WINDOW), n(100)).send(), "namespace 100 held index 0 in window 1");
        assertEquals(ZERO, m.winnerOf(w2, n(100)).send(), "and nothing in window 2");
        assertEquals(DEF_B, m.winnerOf(w2, n(300)).send());
        assertEquals(ZERO, m.winnerOf(n(WINDOW), n(300)).send());
    }

    @Test
    void theRegistryHoldsAtMost256AndReusesAVacatedIndex() throws Exception {
        Market mk = deploy();
        SequencingMarketplace m = mk.m();
        for (int i = 0; i < 256; i++) {
            ok(m.registerRollup(n(10_000 + i), operatorA.getAddress(), n(1), DEF_A, BEN_A));
        }
        assertEquals(n(256), m.rollupCount().send());
        assertReverts(l1, owner, m, m.registerRollup(n(99_999), x.getAddress(), n(1), DEF_A, BEN_A),
                error("SequencingMarketplace__RegistryFull(uint256)", u(256)));
        ok(mk.as(operatorA).deregisterRollup(n(255)));
        ok(mk.as(operatorA).deregisterRollup(n(17)));
        assertEquals(17, mk.register(owner, 99_999, x, 1, DEF_A, BEN_A));
        // A namespace that left comes back to its own index while that is still vacant.
        assertEquals(255, mk.register(owner, 10_255, x, 1, DEF_A, BEN_A));
        assertReverts(l1, owner, m, m.registerRollup(n(99_998), x.getAddress(), n(1), DEF_A, BEN_A),
                error("SequencingMarketplace__RegistryFull(uint256)", u(256)));
    }

    /** A three-element list for comparing tuples in one assertion. */
    private record List3(Object a, Object b, Object c) {
        static List3 of(Object a, Object b, Object c) {
            return new List3(a, b, c);
        }
    }
}
