package dev.cortado.node.cdn;

/** Broadcast topics a node can subscribe to at a broker. */
public enum Topic {
    /** Every node: proposals, votes, certificates. */
    ALL(1),
    /** DA committee members: full payloads for DA votes. */
    DA_COMMITTEE(2);

    private final int bit;

    Topic(int bit) {
        this.bit = bit;
    }

    public int bit() {
        return bit;
    }

    public static Topic fromCode(int code) {
        return switch (code) {
            case 1 -> ALL;
            case 2 -> DA_COMMITTEE;
            default -> throw new dev.cortado.node.net.WireFormatException("unknown topic " + code);
        };
    }
}
