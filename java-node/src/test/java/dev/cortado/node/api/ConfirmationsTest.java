package dev.cortado.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cortado.lightclient.api.ConfirmationJson;
import dev.cortado.lightclient.api.ConfirmationJson.L1FinalJson;
import dev.cortado.protocol.types.Bytes32;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/** The level rule alone: when a decided height is L1-final, and when the L1 light client is not believed. */
class ConfirmationsTest {
    private static final Bytes32 ROOT_5 = Bytes32.fromHex("0x" + "55".repeat(32));
    private static final Bytes32 OTHER = Bytes32.fromHex("0x" + "66".repeat(32));
    /** This node has decided heights 1..6; its root over headers 0..5 is ROOT_5. */
    private static final LongFunction<Optional<Bytes32>> OWN = h -> h == 5 ? Optional.of(ROOT_5)
            : h >= 1 && h <= 6 ? Optional.of(OTHER) : Optional.empty();

    private static L1FinalJson lc(long height, Bytes32 root) {
        return new L1FinalJson(120, height, 9, root.toHex());
    }

    @Test
    void withoutAStateOnL1EverythingDecidedIsHotShotFinal() {
        Confirmations.L1Check none = Confirmations.check(Optional.empty(), OWN);
        assertEquals(new Confirmations.L1Check.None("no light-client state on L1"), none);
        assertEquals(ConfirmationJson.hotShotFinal(3, 4), Confirmations.level(3, 4, none));
    }

    @Test
    void heightsUpToTheLightClientsAreL1FinalWhenTheRootsAgree() {
        Confirmations.L1Check agrees = Confirmations.check(Optional.of(lc(5, ROOT_5)), OWN);
        assertEquals(new Confirmations.L1Check.Agrees(lc(5, ROOT_5)), agrees);
        assertEquals(ConfirmationJson.l1Final(5, 8, lc(5, ROOT_5)), Confirmations.level(5, 8, agrees));
        assertEquals(ConfirmationJson.l1Final(1, 2, lc(5, ROOT_5)), Confirmations.level(1, 2, agrees));
        assertEquals(ConfirmationJson.hotShotFinal(6, 9), Confirmations.level(6, 9, agrees), "height 6 is above the light client's 5");
        assertEquals(3, Confirmations.level(5, 8, agrees).rank());
    }

    @Test
    void aLightClientRootThatIsNotThisChainsMakesNothingL1Final() {
        Confirmations.L1Check wrong = Confirmations.check(Optional.of(lc(5, OTHER)), OWN);
        assertEquals(new Confirmations.L1Check.Mismatch("LightClient.sol at L1 block 120 holds root " + OTHER + " for height 5,"
                + " this node's chain gives " + ROOT_5), wrong);
        assertEquals(ConfirmationJson.hotShotFinal(2, 3), Confirmations.level(2, 3, wrong));
        Confirmations.L1Check malformed = Confirmations.check(Optional.of(new L1FinalJson(120, 5, 9, "0x12")), OWN);
        assertEquals(new Confirmations.L1Check.Mismatch("light-client root 0x12 is malformed"), malformed);
    }

    @Test
    void aLightClientAheadOfThisNodeIsNotBelievedUntilTheNodeDecidesThatHeight() {
        Confirmations.L1Check ahead = Confirmations.check(Optional.of(lc(9, ROOT_5)), OWN);
        assertEquals(new Confirmations.L1Check.None("this node has not decided light-client height 9 yet"), ahead);
        assertEquals(ConfirmationJson.hotShotFinal(4, 5), Confirmations.level(4, 5, ahead));
    }

    @Test
    void confirmationJsonRefusesInconsistentLevels() {
        var bundle = new ConfirmationJson.PreConfirmedJson("0x" + "11".repeat(32), "0x" + "22".repeat(20), 1, 0, 0);
        assertEquals("a pre_confirmed level names its bundle and no height, view or L1 state", assertThrows(
                IllegalArgumentException.class, () -> new ConfirmationJson("pre_confirmed", 3L, null, bundle, null)).getMessage());
        assertEquals("l1 is given exactly when the level is l1_final", assertThrows(IllegalArgumentException.class,
                () -> new ConfirmationJson("l1_final", 3L, 4L, null, null)).getMessage());
        assertEquals("light-client height 5 does not cover height 6", assertThrows(IllegalArgumentException.class,
                () -> ConfirmationJson.l1Final(6, 4, lc(5, ROOT_5))).getMessage());
        assertEquals("unknown confirmation level final", assertThrows(IllegalArgumentException.class,
                () -> new ConfirmationJson("final", 3L, 4L, null, null)).getMessage());
        assertInstanceOf(ConfirmationJson.class, ConfirmationJson.preConfirmed(bundle));
        assertEquals(Map.of(1, "pre_confirmed", 2, "hotshot_final", 3, "l1_final"), Map.of(
                ConfirmationJson.preConfirmed(bundle).rank(), "pre_confirmed", ConfirmationJson.hotShotFinal(1, 1).rank(),
                "hotshot_final", ConfirmationJson.l1Final(1, 1, lc(5, ROOT_5)).rank(), "l1_final"));
    }
}
