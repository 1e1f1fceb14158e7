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
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * The devnet's validators: BLS keys derived from public seeds (so every run has the same table),
 * the Java stake table they form, and their registration in StakeTable.sol with proofs of possession.
 * These keys are for a local devnet only; anyone can recompute them.
 *
 * @param keys one key pair per node, in stake-table order
 * @param table the stake table the nodes and the light client use
 */
public record DevnetValidators(List<BlsKeyPair> keys, dev.cortado.protocol.stake.StakeTable table) {
    /** 32 ETH, the stake each devnet validator registers with. */
    public static final long STAKE_GWEI = 32_000_000_000L;

    public DevnetValidators {
        keys = List.copyOf(keys);
    }

    /** {@code count} validators, the first {@code daCount} of them on the DA committee. */
    public static DevnetValidators generate(int count, int daCount) {
        if (count < 1) throw new IllegalArgumentException("a devnet needs at least one node, got " + count);
        if (daCount < 1 || daCount > count) {
            throw new IllegalArgumentException("DA committee size must be 1.." + count + ", got " + daCount);
        }
        List<BlsKeyPair> keys = new ArrayList<>(count);
        List<StakeEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            BlsKeyPair key = keyPair(i);
            keys.add(key);
            entries.add(new StakeEntry(key.publicKey(), STAKE_GWEI, i < daCount));
        }
        return new DevnetValidators(keys, dev.cortado.protocol.stake.StakeTable.of(entries));
    }

    /** The key of devnet node {@code index}: seeded by a public string, never for real stake. */
    public static BlsKeyPair keyPair(int index) {
        return BlsKeyPair.fromSeed(Keccak.hash(("cortado devnet validator " + index).getBytes(StandardCharsets.UTF_8)).bytes());
    }

    /**
     * Registers every validator in StakeTable.sol, node {@code i} from L1 account {@code registrants.get(i)},
     * and checks that the contract's commitment equals the Java table's.
     */
    public void register(Web3j web3j, long l1ChainId, String stakeTableAddress, List<Credentials> registrants)
            throws Exception {
        if (registrants.size() < keys.size()) {
            throw new IllegalArgumentException(keys.size() + " validators need as many L1 accounts, got " + registrants.size());
        }
        BigInteger stakeWei = BigInteger.valueOf(STAKE_GWEI).multiply(BigInteger.TEN.pow(9));
        BigInteger gasPrice = web3j.ethGasPrice().send().getGasPrice().multiply(BigInteger.TWO);
        for (int i = 0; i < keys.size(); i++) {
            Credentials account = registrants.get(i);
            BlsKeyPair key = keys.get(i);
            var tm = new RawTransactionManager(web3j, account, l1ChainId,
                    new PollingTransactionReceiptProcessor(web3j, 100, 600));
            StakeTable contract = StakeTable.load(stakeTableAddress, web3j, tm,
                    new StaticGasProvider(gasPrice, BigInteger.valueOf(1_000_000)));
            var pop = Bls.popProve(key.secretKey(), l1ChainId, Address.fromHex(stakeTableAddress),
                    Address.fromHex(account.getAddress()), key.publicKey());
            var receipt = contract.register(key.publicKey().toEip2537(), pop.toEip2537(),
                    table.entries().get(i).daMember(), stakeWei).send();
            if (!receipt.isStatusOK()) {
                throw new IllegalStateException("registering devnet validator " + i + " failed: " + receipt.getRevertReason());
            }
        }
        Bytes32 onChain = Bytes32.of(StakeTable.load(stakeTableAddress, web3j, registrants.getFirst(),
                new StaticGasProvider(gasPrice, BigInteger.valueOf(1_000_000))).commitment().send());
        if (!onChain.equals(table.commitment())) {
            throw new IllegalStateException("StakeTable.sol commits to " + onChain + " but the nodes' table is "
                    + table.commitment() + ": the Java and Solidity encodings disagree");
        }
    }
}
