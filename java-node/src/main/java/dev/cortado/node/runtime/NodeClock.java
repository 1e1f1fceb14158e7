package dev.cortado.node.runtime;

/**
 * The node's clocks, as a port: wall time for header timestamps (which peers compare with theirs) and a
 * monotonic time for timers. Tests pass a skewed clock to exercise the timestamp drift rule.
 */
interface NodeClock {
    /** Milliseconds since the Unix epoch, as this node believes. */
    long wallMs();

    /** Milliseconds since an arbitrary origin; never goes backwards. */
    long monotonicMs();

    static NodeClock system() {
        long origin = System.nanoTime();
        return new NodeClock() {
            @Override
            public long wallMs() {
                return System.currentTimeMillis();
            }

            @Override
            public long monotonicMs() {
                return (System.nanoTime() - origin) / 1_000_000;
            }
        };
    }

    /** The system clock with wall time shifted by {@code skewMs} (a node whose clock is wrong). */
    static NodeClock skewed(long skewMs) {
        NodeClock base = system();
        return new NodeClock() {
            @Override
            public long wallMs() {
                return base.wallMs() + skewMs;
            }

            @Override
            public long monotonicMs() {
                return base.monotonicMs();
            }
        };
    }
}
