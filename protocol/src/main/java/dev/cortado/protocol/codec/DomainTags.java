package dev.cortado.protocol.codec;

import dev.cortado.protocol.types.Bytes32;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code TAG_X = keccak256(utf8("cortado/X/v1"))}: separates every hashed structure from every other. */
public final class DomainTags {
    public static final Bytes32 QUORUM_VOTE = tag("quorum-vote");
    public static final Bytes32 TIMEOUT_VOTE = tag("timeout-vote");
    public static final Bytes32 DA_VOTE = tag("da-vote");
    public static final Bytes32 LC_STATE = tag("lc-state");
    public static final Bytes32 POP = tag("pop");
    public static final Bytes32 STAKE_LEAF = tag("stake-leaf");
    public static final Bytes32 LEAF = tag("leaf");
    public static final Bytes32 STAKE_TABLE = tag("stake-table");
    public static final Bytes32 TX = tag("tx");
    public static final Bytes32 NAMESPACE = tag("namespace");
    public static final Bytes32 HEADER = tag("header");
    public static final Bytes32 BLOCK_COMM = tag("block-comm");

    /** Every tag name in the order of docs/architecture.md. */
    public static final List<String> NAMES = List.of("quorum-vote", "timeout-vote", "da-vote", "lc-state", "pop",
            "stake-leaf", "stake-table", "tx", "namespace", "header", "block-comm");

    private DomainTags() {
    }

    public static Bytes32 tag(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("tag name must be non-empty");
        }
        return Keccak.hash(("cortado/" + name + "/v1").getBytes(StandardCharsets.UTF_8));
    }
}
