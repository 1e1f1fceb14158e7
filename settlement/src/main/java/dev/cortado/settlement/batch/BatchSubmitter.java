package dev.cortado.settlement.batch;

import dev.cortado.settlement.batch.BatchPoster.Carrier;
import dev.cortado.settlement.batch.BatchPoster.Outcome;
import dev.cortado.settlement.batch.BatchPoster.Stage;
import dev.cortado.settlement.batch.BatchPoster.StageHook;
import dev.cortado.settlement.batch.PostJournal.InFlight;
import dev.cortado.settlement.batch.codec.CodecId;
import dev.cortado.settlement.l1.AccountSender;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;

/**
 * The batch poster's one transaction in flight: prices, signs, journals and sends a verified frame,
 * then settles, re-sends or replaces (fee bump) a journaled transaction and awaits its receipt. Nonces
 * come from the L1 through the {@link AccountSender} of the account, under whose lock every decision
 * about a nonce is taken, so a light-client poster on the same key never takes one meanwhile.
 */
final class BatchSubmitter {
    private static final Logger LOG = LoggerFactory.getLogger(BatchSubmitter.class);
    private static final long GAS_HEADROOM_PERCENT = 20;
    private static final String WHO = "batch poster";

    private final BatchPoster.Config config;
    private final Credentials credentials;
    private final InboxL1 l1;
    private final PostJournal journal;
    private final AccountSender sender;
    private final long l1ChainId;
    private StageHook hook = (s, t) -> { };

    BatchSubmitter(BatchPoster.Config config, Credentials credentials, InboxL1 l1, AccountSender sender) {
        this.config = config;
        this.credentials = credentials;
        this.l1 = l1;
        this.sender = sender;
        this.journal = new PostJournal(config.journalFile());
        this.l1ChainId = l1.chainId();
    }

    void onStage(StageHook h) {
        this.hook = h;
    }

    Optional<InFlight> journaled() {
        return journal.read();
    }

    /** Prices, signs and sends {@code frame} for {@code first..last}, or says what it waits for. */
    Outcome post(long first, long last, byte[] frame) {
        String from = credentials.getAddress();
        int codec = CodecId.ETH_COLUMNS.id();
        String calldata = InboxL1.calldataBatchCall(first, last, codec, frame);
        // The calldata form is simulated whatever the carrier: it checks the range against the inbox for free.
        Optional<String> revert = l1.simulate(from, calldata);
        if (revert.isPresent()) {
            throw new BatchPoster.BatchPostException("postCalldataBatch(" + first + ".." + last + ") would revert: "
                    + revert.get());
        }
        InboxL1.Fees fees = l1.fees();
        BigInteger gasPrice = fees.baseFeeWei().add(fees.tipWei());
        if (gasPrice.compareTo(config.maxFeePerGasWei()) > 0) {
            return new Outcome.Waiting("base fee " + fees.baseFeeWei() + " + tip " + fees.tipWei() + " wei is above the cap "
                    + config.maxFeePerGasWei());
        }
        BigInteger maxFee = fees.baseFeeWei().multiply(BigInteger.TWO).add(fees.tipWei()).min(config.maxFeePerGasWei());
        BigInteger estimate = l1.estimateGas(from, calldata);
        byte[] callBytes = org.web3j.utils.Numeric.hexStringToByteArray(calldata);
        long execution = Math.max(0, estimate.longValueExact() - PostCost.calldataGas(callBytes, 0));
        BigInteger blobFee = config.carrier() == Carrier.CALLDATA ? BigInteger.ZERO : l1.blobBaseFee();
        PostCost.Choice price = PostCost.choose(callBytes, execution, frame.length, gasPrice, blobFee);
        boolean blobs = switch (config.carrier()) {
            case CALLDATA -> false;
            case BLOBS -> true;
            case CHEAPEST -> price.mode() == PostCost.Mode.BLOBS;
        };
        if (blobs && blobFee.compareTo(config.maxFeePerGasWei()) > 0) {
            return new Outcome.Waiting("blob base fee " + blobFee + " wei is above the cap " + config.maxFeePerGasWei());
        }
        PostCost.Choice chosen = new PostCost.Choice(blobs ? PostCost.Mode.BLOBS : PostCost.Mode.CALLDATA,
                price.calldataWei(), price.blobWei(), price.blobs());
        List<byte[]> packed = blobs ? BlobPacking.pack(frame) : List.of();
        // Twice the current blob fee (at least 1 gwei): room for the fee to rise while the transaction waits.
        BigInteger maxBlobFee = blobFee.multiply(BigInteger.TWO).max(BigInteger.TEN.pow(9)).min(config.maxFeePerGasWei());
        BigInteger gas = estimate.multiply(BigInteger.valueOf(100 + GAS_HEADROOM_PERCENT)).divide(BigInteger.valueOf(100));
        InFlight tx = sender.send(WHO, () -> l1.nonce(true), nonce -> {
            InboxL1.Signed signed = blobs
                    ? l1.signBlobs(credentials, l1ChainId, nonce, BigInteger.valueOf(PostCost.BLOB_CALL_GAS_LIMIT),
                            InboxL1.blobBatchCall(first, last, codec, packed.size()), fees.tipWei(), maxFee, maxBlobFee, packed)
                    : l1.sign(credentials, l1ChainId, nonce, gas, calldata, fees.tipWei(), maxFee);
            InFlight t = new InFlight(signed.txHash(), nonce, first, last, signed.rawTx(), System.currentTimeMillis());
            journal.write(t);
            hook.reached(Stage.JOURNALED, t);
            Optional<String> refused = l1.sendRaw(signed.rawTx());
            if (refused.isPresent() && !l1.known(t.txHash())) {
                journal.clear();
                return new AccountSender.Attempt.Refused<InFlight>("batch " + first + ".." + last + ": " + refused.get());
            }
            return new AccountSender.Attempt.Accepted<>(t);
        });
        hook.reached(Stage.SENT, tx);
        Outcome o = await(tx, frame.length, maxFee, false, chosen, null);
        if (blobs && o instanceof Outcome.Posted p) {
            LOG.info("blob batch {}..{}: {} frame bytes in {} blob(s), occupancy {}", first, last, frame.length,
                    packed.size(), String.format(java.util.Locale.ROOT, "%.4f", p.blobOccupancy()));
        }
        return o;
    }

    /** What to do with a journaled transaction, decided under the account's lock. */
    private sealed interface Fate {
        record Dropped() implements Fate {
        }

        record Await(InFlight tx, String replaced, BigInteger maxFee) implements Fate {
        }

        record Wait(Outcome.Waiting why) implements Fate {
        }
    }

    /**
     * A journaled transaction from before: mined (done, either way), displaced (its nonce went to
     * another transaction, mined or pending), or still the right next batch and re-sent byte for byte.
     */
    Optional<Outcome> settle(InFlight tx) {
        Optional<InboxL1.Receipt> r = l1.receipt(tx.txHash());
        if (r.isPresent()) {
            journal.clear();
            if (r.get().success()) {
                LOG.info("journaled batch {}..{} was mined in {} (block {})", tx.firstHeight(), tx.lastHeight(), tx.txHash(),
                        r.get().l1Block());
            } else {
                LOG.warn("journaled batch {}..{} reverted in {}", tx.firstHeight(), tx.lastHeight(), tx.txHash());
            }
            return Optional.empty();
        }
        Fate fate = sender.exclusive(() -> decide(tx));
        return switch (fate) {
            case Fate.Dropped d -> Optional.empty();
            case Fate.Wait w -> Optional.of(w.why());
            case Fate.Await a -> {
                if (a.replaced() != null) hook.reached(Stage.SENT, a.tx());
                yield Optional.of(await(a.tx(), 0, a.maxFee(), true, null, a.replaced()));
            }
        };
    }

    private Fate decide(InFlight tx) {
        boolean known = l1.known(tx.txHash());
        // Mined nonce past it, or (unknown to the L1) a pending nonce past it: that nonce is another transaction's.
        if (l1.nonce(false) > tx.nonce() || !known && l1.nonce(true) > tx.nonce()) {
            journal.clear();
            LOG.warn("journaled batch {}..{}: nonce {} went to another transaction", tx.firstHeight(), tx.lastHeight(), tx.nonce());
            return new Fate.Dropped();
        }
        if (tx.firstHeight() != l1.nextHeight()) {
            // It can only revert now (the inbox refuses the overlap); let it, rather than race its nonce.
            if (known) return new Fate.Await(tx, null, BigInteger.ZERO);
            journal.clear();
            return new Fate.Dropped();
        }
        // Due whether or not the L1 still holds it: a mempool may drop what no block will take at this price.
        if (bumpDue(tx)) return replace(tx);
        Optional<String> refused = l1.sendRaw(tx.rawTx());
        if (refused.isPresent() && !l1.known(tx.txHash())) {
            journal.clear();
            LOG.warn("journaled batch {}..{} no longer sendable: {}", tx.firstHeight(), tx.lastHeight(), refused.get());
            return new Fate.Dropped();
        }
        return new Fate.Await(tx, null, BigInteger.ZERO);
    }

    /** Pending for {@code bumpAfterMs}, or priced out of every block by a base fee above its fee cap. */
    private boolean bumpDue(InFlight tx) {
        if (System.currentTimeMillis() - tx.signedAtMs() >= config.bumpAfterMs()) return true;
        return l1.fees().baseFeeWei().compareTo(SignedBatchTx.decode(tx.rawTx()).maxFeeWei()) > 0;
    }

    /**
     * Signs the same call (same nonce, gas limit, data and blobs) with raised fees and replaces the
     * stuck transaction. The journal holds the replacement before it is sent; if the L1 refuses it,
     * the journal goes back to the old one, which is still the one in the mempool.
     */
    private Fate replace(InFlight old) {
        SignedBatchTx s = SignedBatchTx.decode(old.rawTx());
        InboxL1.Fees fees = l1.fees();
        BigInteger blobBase = s.isBlob() ? l1.blobBaseFee() : BigInteger.ZERO;
        FeeBump.Result r = FeeBump.next(new FeeBump.Offer(s.tipWei(), s.maxFeeWei(), s.maxFeePerBlobGasWei()), s.isBlob(),
                fees.baseFeeWei(), fees.tipWei(), blobBase, config.maxFeePerGasWei());
        if (r instanceof FeeBump.Result.OverCap o) {
            return new Fate.Wait(new Outcome.Waiting("batch " + old.firstHeight() + ".." + old.lastHeight() + " is stuck in "
                    + old.txHash() + "; a replacement needs " + o.fee() + " " + o.neededWei() + " wei, above the cap "
                    + o.capWei()));
        }
        FeeBump.Offer offer = ((FeeBump.Result.Raised) r).offer();
        InboxL1.Signed signed = s.isBlob()
                ? l1.signBlobs(credentials, s.chainId(), s.nonce(), s.gasLimit(), s.data(), offer.tipWei(), offer.maxFeeWei(),
                        offer.maxFeePerBlobGasWei(), s.blobs())
                : l1.sign(credentials, s.chainId(), s.nonce(), s.gasLimit(), s.data(), offer.tipWei(), offer.maxFeeWei());
        InFlight tx = new InFlight(signed.txHash(), old.nonce(), old.firstHeight(), old.lastHeight(), signed.rawTx(),
                System.currentTimeMillis());
        journal.write(tx);
        hook.reached(Stage.JOURNALED, tx);
        Optional<String> refused = l1.sendRaw(signed.rawTx());
        if (refused.isPresent() && !l1.known(tx.txHash())) {
            journal.write(old);
            return new Fate.Wait(new Outcome.Waiting("the L1 refused the replacement of " + old.txHash() + " (tip "
                    + offer.tipWei() + ", fee cap " + offer.maxFeeWei() + ", blob fee cap " + offer.maxFeePerBlobGasWei()
                    + " wei): " + refused.get()));
        }
        LOG.info("batch {}..{}: replaced stuck {} by {} (nonce {}, tip {}, fee cap {}, blob fee cap {} wei)",
                old.firstHeight(), old.lastHeight(), old.txHash(), tx.txHash(), tx.nonce(), offer.tipWei(), offer.maxFeeWei(),
                offer.maxFeePerBlobGasWei());
        return new Fate.Await(tx, old.txHash(), offer.maxFeeWei());
    }

    private Outcome await(InFlight tx, int frameBytes, BigInteger maxFee, boolean resent, PostCost.Choice price,
            String replaced) {
        long deadline = System.nanoTime() + config.receiptTimeoutMs() * 1_000_000;
        hook.reached(Stage.AWAITING_RECEIPT, tx);
        while (true) {
            Optional<InboxL1.Receipt> r = l1.receipt(tx.txHash());
            if (r.isPresent()) {
                journal.clear();
                if (!r.get().success()) {
                    String data = InboxL1.inputOf(tx.rawTx());
                    throw new BatchPoster.BatchPostException("batch " + tx.firstHeight() + ".." + tx.lastHeight()
                            + " reverted in " + tx.txHash() + ": " + l1.revertAt(credentials.getAddress(), data,
                            r.get().l1Block()));
                }
                return new Outcome.Posted(tx.firstHeight(), tx.lastHeight(), frameBytes, CodecId.ETH_COLUMNS, tx.txHash(),
                        r.get().l1Block(), r.get().gasUsed(), maxFee, resent, price, replaced);
            }
            if (System.nanoTime() > deadline || !BatchPoster.sleep(config.receiptPollMs())) {
                return new Outcome.Pending(tx.txHash(), tx.firstHeight(), tx.lastHeight());
            }
        }
    }
}
