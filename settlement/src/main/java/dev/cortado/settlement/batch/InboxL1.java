package dev.cortado.settlement.batch;

import dev.cortado.contracts.generated.BatchInbox;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.port.L1Client.L1Exception;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.CustomError;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.exceptions.ClientConnectionException;
import org.web3j.utils.Numeric;

/**
 * The L1 side of batch posting and reading, and the only class of the batch package that talks to
 * web3j beyond {@code Credentials}: BatchInbox calls and events, calldata transactions signed once and re-sendable byte for
 * byte, receipts, nonces and fees. Transport failures are retried a bounded number of times.
 */
public final class InboxL1 implements AutoCloseable {
    private static final String CALLDATA_SELECTOR = FunctionEncoder.encode(new Function("postCalldataBatch",
            List.of(new Uint64(0), new Uint64(0), new Uint8(0), new DynamicBytes(new byte[0])), List.of())).substring(0, 10);
    private static final Map<String, List<String>> ARG_NAMES = Map.of(
            "BatchInbox__NotPoster", List.of("caller"), "BatchInbox__HeightGap", List.of("expected", "got"),
            "BatchInbox__HeightOverlap", List.of("expected", "got"), "BatchInbox__InvalidRange",
            List.of("firstHeight", "lastHeight"), "BatchInbox__UnrecordedBlob", List.of("index"));
    /** The inbox's errors by their Solidity signature (the selector is its keccak prefix). */
    private static final Map<String, CustomError> ERRORS = Map.of(
            "BatchInbox__NotPoster(address)", BatchInbox.BATCHINBOX__NOTPOSTER_ERROR,
            "BatchInbox__HeightGap(uint64,uint64)", BatchInbox.BATCHINBOX__HEIGHTGAP_ERROR,
            "BatchInbox__HeightOverlap(uint64,uint64)", BatchInbox.BATCHINBOX__HEIGHTOVERLAP_ERROR,
            "BatchInbox__InvalidRange(uint64,uint64)", BatchInbox.BATCHINBOX__INVALIDRANGE_ERROR,
            "BatchInbox__EmptyPayload()", BatchInbox.BATCHINBOX__EMPTYPAYLOAD_ERROR,
            "BatchInbox__UnrecordedBlob(uint256)", BatchInbox.BATCHINBOX__UNRECORDEDBLOB_ERROR);

    /** One {@code BatchPosted} event of the canonical chain. */
    public record PostedBatch(long batchIndex, long firstHeight, long lastHeight, int compressionId, Bytes32 dataHash,
            List<Bytes32> blobHashes, String txHash, long l1Block) {
        public int blobCount() {
            return blobHashes.size();
        }
    }

    /** A mined transaction's outcome. */
    public record Receipt(boolean success, long l1Block, long gasUsed) {
    }

    /** The calldata batch a transaction's input carries. */
    public record CalldataBatch(long firstHeight, long lastHeight, int compressionId, byte[] payload) {
    }

    private final Web3j web3j;
    private final org.web3j.protocol.http.HttpService http;
    private final String url;
    private final String inbox;
    private final int maxAttempts;

    public InboxL1(String rpcUrl, String inboxAddress, int maxAttempts) {
        if (inboxAddress == null || !inboxAddress.matches("0x[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("BatchInbox address must be 0x followed by 40 hex digits, got " + inboxAddress);
        }
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        this.http = dev.cortado.settlement.l1.RpcHttp.service(rpcUrl);
        this.web3j = Web3j.build(http);
        this.url = rpcUrl;
        this.inbox = inboxAddress;
        this.maxAttempts = maxAttempts;
    }

    public String inboxAddress() {
        return inbox;
    }

    public long chainId() {
        return send("eth_chainId", web3j.ethChainId()).getChainId().longValueExact();
    }

    public long nextHeight() {
        return callU64("nextHeight", new Function("nextHeight", List.of(), List.of(new TypeReference<Uint64>() {})));
    }

    public Bytes32 batchRecord(long index) {
        Function f = new Function("batchRecord", List.of(new Uint64(index)),
                List.of(new TypeReference<org.web3j.abi.datatypes.generated.Bytes32>() {}));
        EthCall r = call(null, FunctionEncoder.encode(f));
        return Bytes32.of(Numeric.hexStringToByteArray(r.getValue()));
    }

    public long nonce(boolean pending) {
        return send("eth_getTransactionCount", web3j.ethGetTransactionCount(inboxFromless(),
                pending ? DefaultBlockParameterName.PENDING : DefaultBlockParameterName.LATEST)).getTransactionCount()
                .longValueExact();
    }

    private String account;

    /** Binds the account whose nonces {@link #nonce} reads. */
    public InboxL1 forAccount(String address) {
        this.account = address;
        return this;
    }

    private String inboxFromless() {
        if (account == null) throw new IllegalStateException("no account bound: call forAccount first");
        return account;
    }

    /** The latest block's base fee and the node's suggested tip, in wei. */
    public record Fees(BigInteger baseFeeWei, BigInteger tipWei) {
    }

    public Fees fees() {
        var block = send("eth_getBlockByNumber", web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)).getBlock();
        if (block == null || block.getBaseFeePerGas() == null) {
            throw new L1Exception("the L1 at " + url + " reports no base fee: batches go in EIP-1559 transactions", null);
        }
        return new Fees(block.getBaseFeePerGas(), send("eth_maxPriorityFeePerGas", web3j.ethMaxPriorityFeePerGas())
                .getMaxPriorityFeePerGas());
    }

    public static String calldataBatchCall(long first, long last, int compressionId, byte[] payload) {
        return FunctionEncoder.encode(new Function("postCalldataBatch", List.of(new Uint64(first), new Uint64(last),
                new Uint8(compressionId), new DynamicBytes(payload)), List.of()));
    }

    /** Simulates {@code data} from {@code from}; the decoded revert when it would fail. */
    public Optional<String> simulate(String from, String data) {
        EthCall r = send("eth_call", web3j.ethCall(Transaction.createEthCallTransaction(from, inbox, data),
                DefaultBlockParameterName.LATEST));
        return r.hasError() || r.isReverted() ? Optional.of(describeRevert(r)) : Optional.empty();
    }

    public BigInteger estimateGas(String from, String data) {
        var e = send("eth_estimateGas", web3j.ethEstimateGas(Transaction.createFunctionCallTransaction(from, null, null,
                null, inbox, data)));
        if (e.hasError()) {
            throw new L1Exception("eth_estimateGas: " + describeRevert(e.getError().getMessage(), e.getError().getData()), null);
        }
        return e.getAmountUsed();
    }

    /** Signs an EIP-1559 call to the inbox: the hash and raw hex that the journal keeps. */
    public record Signed(String txHash, String rawTx) {
    }

    public Signed sign(Credentials who, long l1ChainId, long nonce, BigInteger gasLimit, String data, BigInteger tipWei,
            BigInteger maxFeeWei) {
        RawTransaction tx = RawTransaction.createTransaction(l1ChainId, BigInteger.valueOf(nonce), gasLimit, inbox,
                BigInteger.ZERO, data, tipWei, maxFeeWei);
        String raw = Numeric.toHexString(TransactionEncoder.signMessage(tx, who));
        return new Signed(Hash.sha3(raw), raw);
    }

    public static String blobBatchCall(long first, long last, int compressionId, int blobCount) {
        return FunctionEncoder.encode(new Function("postBlobBatch", List.of(new Uint64(first), new Uint64(last),
                new Uint8(compressionId), new org.web3j.abi.datatypes.generated.Uint256(blobCount)), List.of()));
    }

    public BigInteger blobBaseFee() {
        var r = send("eth_blobBaseFee", web3j.ethBlobBaseFee());
        if (r.hasError()) throw new L1Exception("eth_blobBaseFee: " + r.getError().getMessage(), null);
        return r.getBaseFeePerBlobGas();
    }

    /**
     * Signs an EIP-4844 call to the inbox carrying {@code blobs}; commitments and proofs come from
     * jc-kzg-4844 through web3j's BlobUtils. The raw bytes are the network form (with the sidecar);
     * the hash is that of the transaction without it, as the L1 names it.
     */
    public Signed signBlobs(Credentials who, long l1ChainId, long nonce, BigInteger gasLimit, String data, BigInteger tipWei,
            BigInteger maxFeeWei, BigInteger maxFeePerBlobGasWei, List<byte[]> blobs) {
        List<org.web3j.crypto.Blob> wrapped = blobs.stream().map(org.web3j.crypto.Blob::new).toList();
        RawTransaction tx = RawTransaction.createTransaction(wrapped, l1ChainId, BigInteger.valueOf(nonce), tipWei, maxFeeWei,
                gasLimit, inbox, BigInteger.ZERO, data, maxFeePerBlobGasWei);
        byte[] raw = TransactionEncoder.signMessage(tx, who);
        return new Signed(blobTxHash(raw), Numeric.toHexString(raw));
    }

    /** keccak256(0x03 ‖ rlp(body)) where the network form is 0x03 ‖ rlp([body, blobs, commitments, proofs]). */
    static String blobTxHash(byte[] raw) {
        if (raw.length == 0 || raw[0] != 3) return Hash.sha3(Numeric.toHexString(raw));
        var outer = (org.web3j.rlp.RlpList) org.web3j.rlp.RlpDecoder.decode(java.util.Arrays.copyOfRange(raw, 1, raw.length))
                .getValues().get(0);
        if (!(outer.getValues().get(0) instanceof org.web3j.rlp.RlpList body)) return Hash.sha3(Numeric.toHexString(raw));
        byte[] encoded = org.web3j.rlp.RlpEncoder.encode(body);
        byte[] typed = new byte[encoded.length + 1];
        typed[0] = 3;
        System.arraycopy(encoded, 0, typed, 1, encoded.length);
        return Numeric.toHexString(Hash.sha3(typed));
    }

    /** EIP-4844 versioned hash of a blob: 0x01 ‖ sha256(KZG commitment)[1..32), the commitment recomputed here. */
    public static Bytes32 versionedHash(byte[] blob) {
        var commitment = org.web3j.crypto.BlobUtils.getCommitment(new org.web3j.crypto.Blob(blob));
        return Bytes32.of(org.web3j.crypto.BlobUtils.kzgToVersionedHash(commitment).toArray());
    }

    /** The timestamp (seconds) of L1 block {@code number}, for a beacon node's slot of it. */
    public long blockTimestamp(long number) {
        var block = send("eth_getBlockByNumber", web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(
                BigInteger.valueOf(number)), false)).getBlock();
        if (block == null) throw new L1Exception("the L1 at " + url + " has no block " + number, null);
        return block.getTimestamp().longValueExact();
    }

    /** A blob the L1 node still holds, by versioned hash (Anvil's {@code anvil_getBlobByHash}); empty when pruned. */
    public Optional<byte[]> blob(Bytes32 versionedHash) {
        BlobAnswer r = send("anvil_getBlobByHash", new Request<>("anvil_getBlobByHash", List.of(versionedHash.toHex()),
                http, BlobAnswer.class));
        if (r.hasError() || r.getResult() == null) return Optional.empty();
        return Optional.of(Numeric.hexStringToByteArray(r.getResult()));
    }

    public static final class BlobAnswer extends Response<String> {
    }

    /** The call data of a signed raw transaction. */
    public static String inputOf(String rawTx) {
        return org.web3j.crypto.TransactionDecoder.decode(rawTx).getData();
    }

    /** Sends raw bytes; the L1's error message when it refuses them, empty when it took them. */
    public Optional<String> sendRaw(String rawTx) {
        var r = send("eth_sendRawTransaction", web3j.ethSendRawTransaction(rawTx));
        return r.hasError() ? Optional.of(r.getError().getMessage()) : Optional.empty();
    }

    public boolean known(String txHash) {
        return send("eth_getTransactionByHash", web3j.ethGetTransactionByHash(txHash)).getTransaction().isPresent();
    }

    public Optional<Receipt> receipt(String txHash) {
        return send("eth_getTransactionReceipt", web3j.ethGetTransactionReceipt(txHash)).getTransactionReceipt()
                .map(r -> new Receipt(r.isStatusOK(), r.getBlockNumber().longValueExact(), r.getGasUsed().longValueExact()));
    }

    /** Replays a mined call at its block and names the custom error it reverted with. */
    public String revertAt(String from, String data, long l1Block) {
        EthCall r = send("eth_call", web3j.ethCall(Transaction.createEthCallTransaction(from, inbox, data),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(l1Block))));
        return describeRevert(r);
    }

    /** Every {@code BatchPosted} of the canonical chain from {@code fromBlock}, in log order. */
    public List<PostedBatch> postedBatches(long fromBlock) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)),
                DefaultBlockParameterName.LATEST, inbox);
        filter.addSingleTopic(EventEncoder.encode(BatchInbox.BATCHPOSTED_EVENT));
        EthLog logs = send("eth_getLogs", web3j.ethGetLogs(filter));
        if (logs.hasError()) throw new L1Exception("eth_getLogs: " + logs.getError().getMessage(), null);
        List<PostedBatch> out = new ArrayList<>();
        for (EthLog.LogResult<?> lr : logs.getLogs()) {
            Log log = (Log) lr.get();
            BatchInbox.BatchPostedEventResponse e = BatchInbox.getBatchPostedEventFromLog(log);
            out.add(new PostedBatch(e.batchIndex.longValueExact(), e.firstHeight.longValueExact(),
                    e.lastHeight.longValueExact(), e.compressionId.intValueExact(), Bytes32.of(e.dataHash),
                    e.blobHashes.stream().map(Bytes32::of).toList(), log.getTransactionHash(), log.getBlockNumber().longValueExact()));
        }
        return out;
    }

    /** The calldata batch in a transaction's input; empty when the input is not a direct postCalldataBatch call. */
    public Optional<CalldataBatch> calldataBatchOf(String txHash) {
        var tx = send("eth_getTransactionByHash", web3j.ethGetTransactionByHash(txHash)).getTransaction();
        if (tx.isEmpty() || tx.get().getTo() == null || !tx.get().getTo().equalsIgnoreCase(inbox)) return Optional.empty();
        String input = tx.get().getInput();
        if (input == null || !input.startsWith(CALLDATA_SELECTOR)) return Optional.empty();
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<TypeReference<Type>> types = (List) List.of(new TypeReference<Uint64>() {}, new TypeReference<Uint64>() {},
                new TypeReference<Uint8>() {}, new TypeReference<DynamicBytes>() {});
        List<Type> v = FunctionReturnDecoder.decode("0x" + input.substring(10), types);
        if (v.size() != 4) return Optional.empty();
        return Optional.of(new CalldataBatch(((BigInteger) v.get(0).getValue()).longValueExact(),
                ((BigInteger) v.get(1).getValue()).longValueExact(), ((BigInteger) v.get(2).getValue()).intValueExact(),
                (byte[]) v.get(3).getValue()));
    }

    /** The {@code blockCommRoot} of LightClient's {@code StateFinalized} event for {@code height}, if any. */
    public Optional<Bytes32> finalizedRootFromLogs(String lightClient, long height) {
        EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, lightClient);
        filter.addSingleTopic(Hash.sha3String("StateFinalized(uint64,uint64,bytes32,bytes32)"));
        filter.addNullTopic();
        filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(height), 64));
        EthLog logs = send("eth_getLogs", web3j.ethGetLogs(filter));
        if (logs.hasError() || logs.getLogs().isEmpty()) return Optional.empty();
        String data = ((Log) logs.getLogs().getLast().get()).getData();
        return Optional.of(Bytes32.of(Numeric.hexStringToByteArray(data.substring(2, 66))));
    }

    private long callU64(String what, Function f) {
        EthCall r = call(what, FunctionEncoder.encode(f));
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<Type> v = FunctionReturnDecoder.decode(r.getValue(), (List) f.getOutputParameters());
        if (v.isEmpty()) throw new L1Exception(what + " at " + inbox + " returned " + r.getValue() + ": is a BatchInbox there?", null);
        return ((BigInteger) v.get(0).getValue()).longValueExact();
    }

    private EthCall call(String what, String data) {
        EthCall r = send("eth_call", web3j.ethCall(Transaction.createEthCallTransaction(null, inbox, data),
                DefaultBlockParameterName.LATEST));
        if (r.hasError() || r.isReverted()) throw new L1Exception((what == null ? "call" : what) + ": " + describeRevert(r), null);
        return r;
    }

    private static String describeRevert(EthCall r) {
        return describeRevert(r.hasError() ? r.getError().getMessage() : null, r.hasError() ? r.getError().getData() : r.getValue());
    }

    /** The inbox's custom error with named arguments when the data is one, else the node's message and raw data. */
    private static String describeRevert(String message, String rawData) {
        String data = rawData == null ? null : rawData.replace("\"", "");
        if (data != null && data.length() >= 10) {
            for (var entry : ERRORS.entrySet()) {
                CustomError e = entry.getValue();
                if (Hash.sha3String(entry.getKey()).substring(0, 10).equals(data.substring(0, 10).toLowerCase(java.util.Locale.ROOT))) {
                    @SuppressWarnings({"unchecked", "rawtypes"})
                    List<Type> v = FunctionReturnDecoder.decode("0x" + data.substring(10), (List) e.getParameters());
                    List<String> names = ARG_NAMES.getOrDefault(e.getName(), List.of());
                    StringBuilder s = new StringBuilder(e.getName()).append('(');
                    for (int i = 0; i < v.size(); i++) {
                        if (i > 0) s.append(", ");
                        s.append(i < names.size() ? names.get(i) : "arg" + i).append('=').append(v.get(i).getValue());
                    }
                    return s.append(')').toString();
                }
            }
        }
        return message != null ? message + (data == null ? "" : " " + data) : "revert " + data;
    }

    <R extends Response<?>> R send(String method, Request<?, R> request) {
        long wait = 100;
        for (int attempt = 1; ; attempt++) {
            try {
                return request.send();
            } catch (IOException | ClientConnectionException e) {
                if (attempt >= maxAttempts) {
                    throw new L1Exception(method + " to " + url + " failed after " + attempt + " attempts: " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new L1Exception(method + " interrupted", e);
                }
                wait *= 2;
            }
        }
    }

    @Override
    public void close() {
        web3j.shutdown();
    }
}
