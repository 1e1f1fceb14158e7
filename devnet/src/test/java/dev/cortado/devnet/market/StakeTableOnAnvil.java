package dev.cortado.devnet.market;

import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.gwei;
import static dev.cortado.devnet.contracts.support.Chain.ok;
import static dev.cortado.devnet.contracts.support.Chain.tm;

import dev.cortado.contracts.generated.StakeTable;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.types.Address;
import java.math.BigInteger;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameter;

/** StakeTable.sol on a test Anvil, driven as a validator would: register with a proof of possession, exit. */
final class StakeTableOnAnvil {
    private final L1Devnet l1;
    private final String address;

    StakeTableOnAnvil(L1Devnet l1, String address) {
        this.l1 = l1;
        this.address = address;
    }

    /**
     * Registers {@code key} from {@code who}'s account, proving possession of its secret key, as a DA member or not
     * ({@code isDa}, which decides whether the validator is on the DA committee: it must match the node's configured
     * {@code da} flag); returns the L1 block.
     */
    long register(Credentials who, BlsKeyPair key, long stakeGwei, boolean isDa) {
        byte[] pop = Bls.popProve(key.secretKey(), l1.chainId(), Address.fromHex(address), Address.fromHex(who.getAddress()),
                key.publicKey()).toEip2537();
        return ok(StakeTable.load(address, l1.web3j(), tm(l1, who), GAS).register(key.publicKey().toEip2537(), pop, isDa,
                gwei(stakeGwei))).getBlockNumber().longValueExact();
    }

    /** {@code who} asks to leave the table with {@code key}; returns the L1 block. */
    long exit(Credentials who, BlsKeyPair key) {
        return ok(StakeTable.load(address, l1.web3j(), tm(l1, who), GAS).requestExit(key.publicKey().toEip2537()))
                .getBlockNumber().longValueExact();
    }

    /** The contract read as of the end of {@code l1Block} (every call is an eth_call pinned to it). */
    StakeTable at(long l1Block) {
        StakeTable contract = StakeTable.load(address, l1.web3j(), tm(l1, l1.deployer()), GAS);
        contract.setDefaultBlockParameter(DefaultBlockParameter.valueOf(BigInteger.valueOf(l1Block)));
        return contract;
    }
}
