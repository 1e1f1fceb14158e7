package dev.cortado.devnet.bench.peers;

/**
 * One run of one load point of one system, reduced to what {@code bench/peers.md} compares. Rates are per second of
 * the measured window; latencies are submit-to-commit over the transactions submitted in that window.
 *
 * @param cpuCores CPU seconds of all the system's processes over the window, divided by its length
 */
record Sample(String system, int rate, double seconds, double offeredTps, double acceptedTps, double decidedTps, double p50Ms,
        double p99Ms, double cpuCores) {}
