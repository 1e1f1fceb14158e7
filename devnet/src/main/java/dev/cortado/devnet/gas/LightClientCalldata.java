package dev.cortado.devnet.gas;

import dev.cortado.contracts.generated.LightClient;
import dev.cortado.protocol.cert.LightClientState;
import dev.cortado.protocol.cert.NonSignerData;
import dev.cortado.protocol.types.Bytes32;
import java.math.BigInteger;
import java.util.List;

/** Turns the protocol module's light-client certificate parts into LightClient.sol's calldata structs. */
public final class LightClientCalldata {
    private LightClientCalldata() {
    }

    public static LightClient.LightClientState state(LightClientState s) {
        return new LightClient.LightClientState(BigInteger.valueOf(s.view().value()),
                BigInteger.valueOf(s.height().value()), s.blockCommRoot().bytes(), s.stakeTableComm().bytes());
    }

    public static LightClient.StakeTableSummary table(NonSignerData d) {
        return new LightClient.StakeTableSummary(d.aggKeyEip2537(), d.root().bytes(), BigInteger.valueOf(d.count()),
                BigInteger.valueOf(d.totalStakeGwei()));
    }

    public static List<LightClient.NonSigner> nonSigners(NonSignerData d) {
        return d.nonSigners().stream()
                .map(ns -> new LightClient.NonSigner(BigInteger.valueOf(ns.index()), ns.pkEip2537(),
                        BigInteger.valueOf(ns.stakeGwei()), ns.isDa(),
                        ns.siblings().stream().map(Bytes32::bytes).toList()))
                .toList();
    }
}
