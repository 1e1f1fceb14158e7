package dev.cortado.settlement.auction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.settlement.auction.PendingBid.Stage;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal survives a reopen, refuses a second writer and never reads a torn or foreign file. */
class BidJournalTest {
    private static PendingBid prepared() {
        return new PendingBid(3, BigInteger.valueOf(5), BigInteger.valueOf(700), BigInteger.valueOf(900), "0x" + "22".repeat(20),
                "0x" + "01".repeat(32), "0x" + "02".repeat(32), null, -1, Stage.PREPARED, null);
    }

    @Test
    void everyStepIsOnDiskWhenTheCallReturns(@TempDir Path dir) {
        try (BidJournal j = BidJournal.open(dir)) {
            int i = j.add(prepared());
            j.update(i, b -> b.sent("0x" + "aa".repeat(32)));
            j.update(i, b -> b.committed(7));
        }
        try (BidJournal j = BidJournal.open(dir)) {
            PendingBid b = j.entries().getFirst();
            assertEquals(Stage.COMMITTED, b.stage());
            assertEquals(7, b.bidId());
            assertEquals("0x" + "01".repeat(32), b.saltHex());
            assertEquals("0x" + "aa".repeat(32), b.commitTxHash());
            assertTrue(b.sameRequest(3, BigInteger.valueOf(5), BigInteger.valueOf(700), "0x" + "22".repeat(20)));
            assertFalse(b.sameRequest(4, BigInteger.valueOf(5), BigInteger.valueOf(700), "0x" + "22".repeat(20)));
        }
        assertFalse(Files.exists(dir.resolve("bids.json.tmp")), "the temporary file was renamed into place");
    }

    @Test
    void aSecondBidderOnTheSameFolderIsRefused(@TempDir Path dir) {
        try (BidJournal j = BidJournal.open(dir)) {
            var e = assertThrows(IllegalStateException.class, () -> BidJournal.open(dir));
            assertTrue(e.getMessage().contains("another bidder"), e.getMessage());
        }
    }

    @Test
    void aFileThatIsNotAJournalIsOneClearError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bids.json"), "{\"not\": \"a list\"");
        var e = assertThrows(IllegalStateException.class, () -> BidJournal.open(dir));
        assertTrue(e.getMessage().contains("is not a bid journal"), e.getMessage());
        // The failed open released its lock.
        Files.writeString(dir.resolve("bids.json"), "[]");
        try (BidJournal j = BidJournal.open(dir)) {
            assertTrue(j.entries().isEmpty());
        }
    }

    @Test
    void anAmountAboveTheCollateralIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new PendingBid(1, BigInteger.ONE, BigInteger.TEN,
                BigInteger.ONE, "0x" + "22".repeat(20), "0x00", "0x00", null, -1, Stage.PREPARED, null));
        assertEquals("amount 10 wei exceeds collateral 1 wei", e.getMessage());
    }
}
