package dev.cortado.devnet.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The module dependency rules of docs/architecture.md, as ArchUnit rules. Maven's class path already
 * stops a module from compiling against one it does not declare; these rules also catch what the
 * class path allows transitively (java-node sees all of settlement and web3j through its port).
 */
public final class ModuleBoundaries {
    private ModuleBoundaries() {}

    public static final ArchRule PROTOCOL_IS_THE_BASE = noClasses()
            .that().resideInAPackage("dev.cortado.protocol..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "dev.cortado.lightclient..", "dev.cortado.node..", "dev.cortado.settlement..",
                    "dev.cortado.devnet..", "dev.cortado.contracts..")
            .because("protocol depends on no other Cortado module");

    public static final ArchRule LIGHT_CLIENT_NEEDS_ONLY_PROTOCOL = noClasses()
            .that().resideInAPackage("dev.cortado.lightclient..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "dev.cortado.node..", "dev.cortado.settlement..", "dev.cortado.devnet..", "dev.cortado.contracts..")
            .because("light-client depends only on protocol");

    public static final ArchRule SETTLEMENT_REACHES_NODES_ONLY_OVER_HTTP = noClasses()
            .that().resideInAPackage("dev.cortado.settlement..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.cortado.node..", "dev.cortado.devnet..")
            .because("settlement talks to nodes only through their HTTP API");

    public static final ArchRule NODE_USES_SETTLEMENT_ONLY_THROUGH_ITS_PORT = noClasses()
            .that().resideInAPackage("dev.cortado.node..")
            .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                    "are in settlement outside dev.cortado.settlement.port",
                    (com.tngtech.archunit.core.domain.JavaClass c) -> c.getPackageName().startsWith("dev.cortado.settlement")
                            && !c.getPackageName().startsWith("dev.cortado.settlement.port")))
            .because("java-node reaches L1 only through the L1Client port");

    public static final ArchRule NODE_IS_BELOW_DEVNET_AND_CONTRACTS = noClasses()
            .that().resideInAPackage("dev.cortado.node..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.cortado.devnet..", "dev.cortado.contracts..")
            .because("java-node sees neither the devnet nor the contract wrappers");

    public static final ArchRule WEB3J_STAYS_AT_THE_EDGE = noClasses()
            .that().resideInAnyPackage("dev.cortado.protocol..", "dev.cortado.lightclient..", "dev.cortado.node..",
                    "dev.cortado.settlement.port..")
            .should().dependOnClassesThat().resideInAPackage("org.web3j..")
            .because("only the settlement adapter, the contract wrappers and the devnet import web3j");

    public static final ArchRule CONSENSUS_CORE_IS_PURE = noClasses()
            .that().resideInAPackage("dev.cortado.node.consensus..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.netty..", "org.rocksdb..", "java.net..", "java.nio.channels..", "java.nio.file..",
                    "java.util.concurrent..", "dev.cortado.node.net..", "dev.cortado.node.storage..",
                    "dev.cortado.node.api..", "dev.cortado.node.runtime..")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().callConstructor(java.util.Random.class)
            .orShould().callMethod(Thread.class, "sleep", long.class)
            .because("the consensus core is a pure state machine: no I/O, threads, clock or randomness");

    public static final ArchRule AUCTION_SOLVER_IS_PURE = noClasses()
            .that().resideInAPackage("dev.cortado.settlement.auction.solver..")
            .should().dependOnClassesThat().resideOutsideOfPackages(
                    "dev.cortado.settlement.auction.solver..", "java.lang..", "java.math..", "java.util",
                    "java.util.stream", "java.util.function")
            .because("anyone can run the solver: it is pure arithmetic on bitmaps, with no web3j, I/O or threads");

    public static final List<ArchRule> ALL = List.of(
            PROTOCOL_IS_THE_BASE, LIGHT_CLIENT_NEEDS_ONLY_PROTOCOL, SETTLEMENT_REACHES_NODES_ONLY_OVER_HTTP,
            NODE_USES_SETTLEMENT_ONLY_THROUGH_ITS_PORT, NODE_IS_BELOW_DEVNET_AND_CONTRACTS, WEB3J_STAYS_AT_THE_EDGE,
            CONSENSUS_CORE_IS_PURE,
            AUCTION_SOLVER_IS_PURE);
}
