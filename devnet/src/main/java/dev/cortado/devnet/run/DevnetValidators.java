package dev.cortado.devnet.run;

import dev.cortado.contracts.generated.StakeTable;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * The devnet's validators: BLS keys derived from public seeds (so every run has the same table),
 * the Java stake table they form, and their registration in StakeTable.sol with proofs of possession.
 * These keys are for a local devnet only; anyone can recompute them.
 *
 * @param keys one key pair per node, in stake-table order, the joiners (configured, not registered at genesis) last
 * @param table the genesis stake table: the first {@code table.size()} keys
 */
public record DevnetValidators(List<BlsKeyPair> keys, dev.cortado.protocol.stake.StakeTable table) {
    /** 32 ETH, the stake each devnet validator registers with. */
    public static final long STAKE_GWEI = 32_000_000_000L;

    public DevnetValidators {
        keys = List.copyOf(keys);
        if (keys.size() < table.size()) throw new IllegalArgumentException(table.size() + " table entries, " + keys.size() + " keys");
    }

    /** {@code count} validators, the first {@code daCount} of them on the DA committee. */
    public static DevnetValidators generate(int count, int daCount) {
        return generate(count, daCount, 0);
    }

    /**
     * {@code count} genesis validators, the first {@code daCount} of them on the DA committee, plus {@code joiners}
     * keys for nodes that run without stake until they register on L1 during the run.
     */
    public static DevnetValidators generate(int count, int daCount, int joiners) {
        if (count < 1) throw new IllegalArgumentException("a devnet needs at least one node, got " + count);
        if (daCount < 1 || daCount > count) {
            throw new IllegalArgumentException("DA committee size must be 1.." + count + ", got " + daCount);
        }
        if (joiners < 0) throw new IllegalArgumentException("joiners must be >= 0, got " + joiners);
        List<BlsKeyPair> keys = new ArrayList<>(count + joiners);
        List<StakeEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count + joiners; i++) {
            BlsKeyPair key = keyPair(i);
            keys.add(key);
            if (i < count) entries.add(new StakeEntry(key.publicKey(), STAKE_GWEI, i < daCount));
        }
        return new DevnetValidators(keys, dev.cortado.protocol.stake.StakeTable.of(entries));
    }

    /** The key of devnet node {@code index}: seeded by a public string, never for real stake. */
    public static BlsKeyPair keyPair(int index) {
        return BlsKeyPair.fromSeed(Keccak.hash(("cortado devnet validator " + index).getBytes(StandardCharsets.UTF_8)).bytes());
    }

    /** How many nodes run without stake at genesis, after the genesis validators. */
    public int joiners() {
        return keys.size() - table.size();
    }

    /**
     * Registers every genesis validator in StakeTable.sol, node {@code i} from L1 account {@code registrants.get(i)},
     * and checks that the contract's commitment equals the Java table's.
     */
    public void register(Web3j web3j, long l1ChainId, String stakeTableAddress, List<Credentials> registrants)
            throws Exception {
        if (registrants.size() < table.size()) {
            throw new IllegalArgumentException(table.size() + " validators need as many L1 accounts, got " + registrants.size());
        }
        for (int i = 0; i < table.size(); i++) {
            register(web3j, l1ChainId, stakeTableAddress, registrants.get(i), i, table.entries().get(i).daMember());
        }
        Bytes32 onChain = Bytes32.of(contract(web3j, l1ChainId, stakeTableAddress, registrants.getFirst()).commitment().send());
        if (!onChain.equals(table.commitment())) {
            throw new IllegalStateException("StakeTable.sol commits to " + onChain + " but the nodes' table is "
                    + table.commitment() + ": the Java and Solidity encodings disagree");
        }
    }

    /**
     * Registers validator {@code index}'s key from {@code account} with {@link #STAKE_GWEI} and a proof of possession
     * bound to that account, as any validator joins; returns the mined receipt.
     */
    public TransactionReceipt register(Web3j web3j, long l1ChainId, String stakeTableAddress, Credentials account, int index,
            boolean daMember) throws Exception {
        BlsKeyPair key = keys.get(index);
        var pop = Bls.popProve(key.secretKey(), l1ChainId, Address.fromHex(stakeTableAddress),
                Address.fromHex(account.getAddress()), key.publicKey());
        var receipt = contract(web3j, l1ChainId, stakeTableAddress, account).register(key.publicKey().toEip2537(),
                pop.toEip2537(), daMember, BigInteger.valueOf(STAKE_GWEI).multiply(BigInteger.TEN.pow(9))).send();
        if (!receipt.isStatusOK()) {
            throw new IllegalStateException("registering devnet validator " + index + " failed: " + receipt.getRevertReason());
        }
        return receipt;
    }

    /** Validator {@code index} asks StakeTable.sol to leave the table, from the account it registered with. */
    public TransactionReceipt requestExit(Web3j web3j, long l1ChainId, String stakeTableAddress, Credentials account, int index)
            throws Exception {
        var receipt = contract(web3j, l1ChainId, stakeTableAddress, account)
                .requestExit(keys.get(index).publicKey().toEip2537()).send();
        if (!receipt.isStatusOK()) {
            throw new IllegalStateException("devnet validator " + index + "'s exit failed: " + receipt.getRevertReason());
        }
        return receipt;
    }

    private static StakeTable contract(Web3j web3j, long l1ChainId, String address, Credentials account) throws Exception {
        BigInteger gasPrice = web3j.ethGasPrice().send().getGasPrice().multiply(BigInteger.TWO);
        var tm = new RawTransactionManager(web3j, account, l1ChainId, new PollingTransactionReceiptProcessor(web3j, 100, 600));
        return StakeTable.load(address, web3j, tm, new StaticGasProvider(gasPrice, BigInteger.valueOf(1_000_000)));
    }
}
