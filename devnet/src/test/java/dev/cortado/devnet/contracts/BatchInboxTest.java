package dev.cortado.devnet.contracts;

import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.addr;
import static dev.cortado.devnet.contracts.support.Chain.assertReverts;
import static dev.cortado.devnet.contracts.support.Chain.error;
import static dev.cortado.devnet.contracts.support.Chain.ok;
import static dev.cortado.devnet.contracts.support.Chain.tm;
import static dev.cortado.devnet.contracts.support.Chain.u;
import static dev.cortado.devnet.contracts.support.Chain.u64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.contracts.generated.BatchInbox;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Bytes32;
import java.math.BigInteger;
import org.apache.tuweni.bytes.Bytes;
import org.web3j.crypto.Blob;
import org.web3j.crypto.BlobUtils;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** BatchInbox.sol on a live Anvil: allow-list, contiguous height ranges, records and events. */
class BatchInboxTest {
    private static L1Devnet l1;
    private static Credentials owner;
    private static Credentials poster;
    private static Credentials stranger;

    @BeforeAll
    static void start() {
        l1 = L1Devnet.startAnvil();
        owner = l1.accounts().get(0);
        poster = l1.accounts().get(1);
        stranger = l1.accounts().get(2);
    }

    @AfterAll
    static void stop() {
        l1.close();
    }

    private static BatchInbox deploy() throws Exception {
        return BatchInbox.deploy(l1.web3j(), tm(l1, owner), GAS, owner.getAddress(), BigInteger.ONE,
                List.of(poster.getAddress())).send();
    }

    private static BatchInbox as(BatchInbox inbox, Credentials who) {
        return BatchInbox.load(inbox.getContractAddress(), l1.web3j(), tm(l1, who), GAS);
    }

    private static BigInteger n(long v) {
        return BigInteger.valueOf(v);
    }

    @Test
    void recordsContiguousCalldataBatches() throws Exception {
        BatchInbox inbox = as(deploy(), poster);
        assertEquals(BigInteger.ONE, inbox.nextHeight().send());
        byte[] payload = {1, 2, 3, 4, 5};
        TransactionReceipt r = ok(inbox.postCalldataBatch(n(1), n(10), n(2), payload));
        var events = BatchInbox.getBatchPostedEvents(r);
        assertEquals(1, events.size());
        var e = events.getFirst();
        assertEquals(BigInteger.ZERO, e.batchIndex);
        assertEquals(poster.getAddress(), e.poster);
        assertEquals(n(1), e.firstHeight);
        assertEquals(n(10), e.lastHeight);
        assertEquals(n(2), e.compressionId);
        Bytes32 dataHash = Keccak.hash(payload);
        assertArrayEquals(dataHash.bytes(), e.dataHash);
        assertTrue(e.blobHashes.isEmpty());
        Bytes32 record = Abi.encoder().uint64(1).uint64(10).uint256(2).bytes32(dataHash).hash();
        assertArrayEquals(record.bytes(), inbox.batchRecord(BigInteger.ZERO).send());

        ok(inbox.postCalldataBatch(n(11), n(11), n(0), new byte[] {9}));
        assertEquals(n(12), inbox.nextHeight().send());
        assertEquals(BigInteger.TWO, inbox.batchCount().send());
    }

    @Test
    void refusesGapsOverlapsAndBadRanges() throws Exception {
        BatchInbox inbox = as(deploy(), poster);
        ok(inbox.postCalldataBatch(n(1), n(10), n(0), new byte[] {1}));
        assertReverts(l1, poster, inbox, inbox.postCalldataBatch(n(12), n(20), n(0), new byte[] {1}),
                error("BatchInbox__HeightGap(uint64,uint64)", u64(11), u64(12)));
        assertReverts(l1, poster, inbox, inbox.postCalldataBatch(n(10), n(20), n(0), new byte[] {1}),
                error("BatchInbox__HeightOverlap(uint64,uint64)", u64(11), u64(10)));
        assertReverts(l1, poster, inbox, inbox.postCalldataBatch(n(11), n(10), n(0), new byte[] {1}),
                error("BatchInbox__InvalidRange(uint64,uint64)", u64(11), u64(10)));
        assertReverts(l1, poster, inbox, inbox.postCalldataBatch(n(11), n(12), n(0), new byte[0]),
                error("BatchInbox__EmptyPayload()"));
    }

    @Test
    void recordsABlobBatchFromItsVersionedHashes() throws Exception {
        BatchInbox inbox = as(deploy(), poster);
        // A blob of field elements below the BLS modulus: the first byte of each 32-byte word stays 0.
        byte[] data = new byte[131_072];
        for (int i = 0; i < data.length; i++) {
            data[i] = (i % 32 == 0) ? 0 : (byte) (i * 7 + 3);
        }
        Blob blob = new Blob(Bytes.wrap(data));
        Bytes commitment = BlobUtils.getCommitment(blob);
        byte[] versionedHash = BlobUtils.kzgToVersionedHash(commitment).toArrayUnsafe();

        String call = inbox.postBlobBatch(n(1), n(4), n(3), n(1)).encodeFunctionCall();
        BigInteger nonce = l1.web3j().ethGetTransactionCount(poster.getAddress(), DefaultBlockParameterName.PENDING)
                .send().getTransactionCount();
        RawTransaction tx = RawTransaction.createTransaction(List.of(blob), l1.chainId(), nonce,
                BigInteger.valueOf(1_000_000_000L), BigInteger.valueOf(5_000_000_000L), BigInteger.valueOf(300_000),
                inbox.getContractAddress(), BigInteger.ZERO, call, BigInteger.valueOf(5_000_000_000L));
        String signed = Numeric.toHexString(TransactionEncoder.signMessage(tx, poster));
        var sent = l1.web3j().ethSendRawTransaction(signed).send();
        if (sent.hasError()) {
            throw new AssertionError("blob transaction refused: " + sent.getError().getMessage());
        }
        TransactionReceipt r = new PollingTransactionReceiptProcessor(l1.web3j(), 20, 1_500)
                .waitForTransactionReceipt(sent.getTransactionHash());
        assertTrue(r.isStatusOK(), r.toString());
        var e = BatchInbox.getBatchPostedEvents(r).getFirst();
        assertEquals(1, e.blobHashes.size());
        assertArrayEquals(versionedHash, e.blobHashes.getFirst());
        assertArrayEquals(Keccak.hash(versionedHash).bytes(), e.dataHash);
        assertEquals(n(5), inbox.nextHeight().send());
    }

    @Test
    void blobBatchesNeedTheirBlobs() throws Exception {
        BatchInbox inbox = as(deploy(), poster);
        // This transaction carries no blobs, so blobhash(0) is zero.
        assertReverts(l1, poster, inbox, inbox.postBlobBatch(n(1), n(5), n(1), n(1)),
                error("BatchInbox__BlobMissing(uint256)", u(0)));
        assertReverts(l1, poster, inbox, inbox.postBlobBatch(n(1), n(5), n(1), n(0)),
                error("BatchInbox__BlobCount(uint256,uint256)", u(0), u(9)));
        assertReverts(l1, poster, inbox, inbox.postBlobBatch(n(1), n(5), n(1), n(10)),
                error("BatchInbox__BlobCount(uint256,uint256)", u(10), u(9)));
        assertReverts(l1, poster, inbox, inbox.postBlobBatch(n(2), n(5), n(1), n(1)),
                error("BatchInbox__HeightGap(uint64,uint64)", u64(1), u64(2)));
    }

    private static Blob blobOf(int seed) {
        byte[] data = new byte[131_072];
        for (int i = 0; i < data.length; i++) {
            data[i] = (i % 32 == 0) ? 0 : (byte) (i * seed + 3);
        }
        return new Blob(Bytes.wrap(data));
    }

    private static String versionedHash(Blob blob) {
        return BlobUtils.kzgToVersionedHash(BlobUtils.getCommitment(blob)).toHexString();
    }

    /** eth_call as the poster with {@code blobVersionedHashes} set; the revert data, or null when it returns. */
    private static String callWithBlobs(BatchInbox inbox, String data, List<String> hashes) throws Exception {
        java.util.Map<String, Object> tx = new java.util.LinkedHashMap<>();
        tx.put("from", poster.getAddress());
        tx.put("to", inbox.getContractAddress());
        tx.put("data", data);
        tx.put("gas", "0x493e0");
        tx.put("maxFeePerGas", "0x12a05f200");
        tx.put("maxPriorityFeePerGas", "0x3b9aca00");
        tx.put("maxFeePerBlobGas", "0x12a05f200");
        tx.put("blobVersionedHashes", hashes);
        var http = new org.web3j.protocol.http.HttpService(l1.rpcUrl());
        var r = new org.web3j.protocol.core.Request<>("eth_call", List.of(tx, "latest"), http, L1Devnet.RawResponse.class).send();
        if (!r.hasError()) {
            return null;
        }
        assertTrue(r.getError().getData() != null, () -> "revert without data: " + r.getError().getMessage());
        return r.getError().getData().toString().replace("\"", "");
    }

    @Test
    void batchesRefuseBlobsTheyWouldNotRecord() throws Exception {
        BatchInbox inbox = as(deploy(), poster);
        List<String> two = List.of(versionedHash(blobOf(7)), versionedHash(blobOf(11)));
        assertEquals(error("BatchInbox__UnrecordedBlob(uint256)", u(1)),
                callWithBlobs(inbox, inbox.postBlobBatch(n(1), n(4), n(3), n(1)).encodeFunctionCall(), two));
        assertEquals(error("BatchInbox__UnrecordedBlob(uint256)", u(0)), callWithBlobs(inbox,
                inbox.postCalldataBatch(n(1), n(4), n(0), new byte[] {1}).encodeFunctionCall(), two.subList(0, 1)));
        assertEquals(null, callWithBlobs(inbox, inbox.postBlobBatch(n(1), n(4), n(3), n(2)).encodeFunctionCall(), two),
                "a batch that records every blob of its transaction is accepted");

        // The same on a mined transaction: two blobs, one recorded, so it reverts and records nothing.
        String call = inbox.postBlobBatch(n(1), n(4), n(3), n(1)).encodeFunctionCall();
        BigInteger nonce = l1.web3j().ethGetTransactionCount(poster.getAddress(), DefaultBlockParameterName.PENDING)
                .send().getTransactionCount();
        RawTransaction tx = RawTransaction.createTransaction(List.of(blobOf(7), blobOf(11)), l1.chainId(), nonce,
                BigInteger.valueOf(1_000_000_000L), BigInteger.valueOf(5_000_000_000L), BigInteger.valueOf(300_000),
                inbox.getContractAddress(), BigInteger.ZERO, call, BigInteger.valueOf(5_000_000_000L));
        var sent = l1.web3j().ethSendRawTransaction(Numeric.toHexString(TransactionEncoder.signMessage(tx, poster))).send();
        assertFalse(sent.hasError(), () -> "blob transaction refused: " + sent.getError().getMessage());
        TransactionReceipt r = new PollingTransactionReceiptProcessor(l1.web3j(), 20, 1_500)
                .waitForTransactionReceipt(sent.getTransactionHash());
        assertFalse(r.isStatusOK(), "a blob batch with an unrecorded blob was mined successfully");
        assertEquals(n(1), inbox.nextHeight().send());
        assertEquals(n(0), inbox.batchCount().send());
    }

    @Test
    void onlyAllowListedPostersPostAndOnlyTheOwnerManagesThem() throws Exception {
        BatchInbox inbox = deploy();
        BatchInbox byStranger = as(inbox, stranger);
        assertTrue(inbox.isPoster(poster.getAddress()).send());
        assertReverts(l1, stranger, inbox, byStranger.postCalldataBatch(n(1), n(1), n(0), new byte[] {1}),
                error("BatchInbox__NotPoster(address)", addr(stranger.getAddress())));
        assertReverts(l1, stranger, inbox, byStranger.postBlobBatch(n(1), n(1), n(0), n(1)),
                error("BatchInbox__NotPoster(address)", addr(stranger.getAddress())));
        assertReverts(l1, stranger, inbox, byStranger.setPoster(stranger.getAddress(), true),
                error("OwnableUnauthorizedAccount(address)", addr(stranger.getAddress())));
        assertReverts(l1, owner, inbox, inbox.setPoster("0x0000000000000000000000000000000000000000", true),
                error("BatchInbox__ZeroAddress()"));

        TransactionReceipt r = ok(inbox.setPoster(stranger.getAddress(), true));
        assertEquals(1, BatchInbox.getPosterUpdatedEvents(r).size());
        ok(byStranger.postCalldataBatch(n(1), n(1), n(0), new byte[] {1}));
        ok(inbox.setPoster(poster.getAddress(), false));
        assertFalse(inbox.isPoster(poster.getAddress()).send());
        assertReverts(l1, poster, inbox, as(inbox, poster).postCalldataBatch(n(2), n(2), n(0), new byte[] {1}),
                error("BatchInbox__NotPoster(address)", addr(poster.getAddress())));
    }
}
