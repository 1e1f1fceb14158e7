package dev.cortado.devnet.l1;

/** Runs an L1 in a separate JVM so a test can kill that JVM outright. */
public final class L1ChildMain {
    private L1ChildMain() {}

    public static void main(String[] args) throws Exception {
        L1Devnet l1 = L1Devnet.startAnvil();
        System.out.println("L1 pid " + l1.processId());
        System.out.flush();
        Thread.currentThread().join();
    }
}
