package dev.cortado.devnet.gas;

import dev.cortado.devnet.gas.GasReport.Row;
import dev.cortado.devnet.gas.GasReport.Traced;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes {@link GasReport}'s rows as {@code gas.md} (the table, the notes on where the gas goes and the
 * opcode traces) and {@code gas.json}. The notes' figures come from the traces of the same run, broken down
 * by hand; they are prose, so a change to the contracts must revisit them.
 */
final class GasReportWriter {
    private GasReportWriter() {
    }

    static void write(List<Row> rows, List<Traced> traces, Path out) throws IOException {
        Files.createDirectories(out);
        StringBuilder md = new StringBuilder();
        md.append("# L1 contract gas\n\n");
        md.append("Measured by `./cortado gas` (`dev.cortado.devnet.gas.GasReport`) on Anvil with `--hardfork prague`, ")
                .append("solc 0.8.30 (optimizer 20,000 runs). Figures are `gasUsed` from receipts: they include the ")
                .append("21,000 base cost and calldata. Light-client keys are BLS12-381 G2, verified with the EIP-2537 ")
                .append("precompiles (hash-to-G1 on chain, one pairing check); stake 32 ETH each.\n\n");
        md.append("| operation | detail | gas used | target | comparison |\n|---|---|---:|---:|---|\n");
        for (Row r : rows) {
            String target = r.targetGas() == null ? "" : String.format("≤ %,d %s", r.targetGas(),
                    r.meetsTarget() ? "✅" : "❌");
            md.append(String.format("| %s | %s | %,d | %s | %s |%n", r.operation(), r.detail(), r.gasUsed(), target,
                    r.comparison()));
        }
        md.append("""

                ## Notes

                - **Light-client update, steady state vs. first pass.** Each update overwrites one history \
                entry (two slots) in a ring of `historyCapacity` entries. During the first pass through the ring \
                those slots are fresh (2 × 22,100 gas instead of 2 × 5,000), so the first `historyCapacity` \
                updates cost about 34k more than the steady state.
                - **Where an everyone-signs update goes** (the opcode trace below, n = 100, 170,866). Fixed by \
                the scheme, about 137.3k: the 21,000 base, the two-pair pairing check 103,000, two MAP_FP_TO_G1 \
                11.2k, and SHA-256, MODEXP and G1ADD for RFC 9380 hash-to-G1 2.1k. Calldata 8.0k (the 256-byte \
                aggregate key, the 128-byte signature, the state, the table's fields and the ABI's offsets and \
                lengths). Storage 17.1k: the head word read (2,100) and rewritten (2,900), the stored stake-table \
                commitment read (2,100), the ring entry's two slots each written whole, blind (2 × 5,000). The \
                `StateFinalized` event 2k. Other execution 6.4k: dispatch, ABI decoding and the head's unpacking \
                and checks 1.6k, the table check (key hashed in calldata, commitment) 0.8k, the digest and the \
                key's copy 1k, the hash-to-G1 and pairing input bookkeeping (scratch memory, DST copies, four \
                unrolled SHA-256 steps) 1.9k, the ring slot and the two packed words 0.9k, the event's data 0.4k. \
                The cost does not grow with n: the table enters as its aggregate key.
                - **The 150k target is missed** by about 21k, and cannot be met by this scheme: the floor before \
                any execution is about 164.5k (137.3k fixed, 8.0k calldata, 17.1k storage, 2k event), and the \
                21,000 base, the pairing check and the storage alone are 141.1k. The scheme is already the \
                cheaper orientation (signatures in G1, keys in G2, so hashing to the curve is two MAP_FP_TO_G1 \
                at 5,500 rather than two MAP_FP2_TO_G2 at 23,800). Below the floor only by changing what is \
                verified or kept: encode_to_curve (one map, about 6k less) changes every node's signature \
                scheme; a history entry kept as one hashed slot (5k less) makes `getHotShotCommitment` and \
                `lagOverEscapeHatchThreshold` need the entry from the caller; a packed, unpadded certificate \
                instead of the ABI (about 1.5k less calldata) changes the poster and the twin verifier. Even all \
                three leave about 152k plus execution; 150k needs several states per update (one pairing for \
                all) or a different proof. Not worth it: an EIP-2930 access list for the four slots saves \
                4 × 200 but its address entry costs 2,400.
                - **Non-signers** cost about 7.9k each at n = 100 (8.1k before this round, 11.9k before the \
                packed format): they come packed in one `bytes` argument with one Merkle multiproof for all of \
                them (docs/architecture.md, "Light-client certificate calldata"). Ten absent add 78.8k to the \
                everyone-signs update: 49.6k of calldata (the ten 192-byte keys without their zero pads about \
                30.7k, the multiproof's 35 siblings instead of 70 single-path ones about 17.9k, the 11-byte \
                index, stake and flag records and the count about 1k) and 29.2k of execution: the record loop \
                13k (nine G2ADD sums 6.3k, the key and leaf keccaks 1.4k, unpacking and the bounds, order and \
                flag checks 5.3k), the multiproof walk 13.8k (44 node hashes 1.8k, the known-node bookkeeping \
                about 245 gas a node, 1.1k of setup), and 2.6k for the length checks, the allocation, the stake \
                check, the negation and the final subtraction (one G2ADD). The cost grows with the number \
                absent, not with n.
                - **The 250k target (10 absent at n = 100) is met**: 249,710 (254,845 before this round, \
                293,160 before the packed format). Calldata and precompiles alone come to about 230.7k (the \
                170.9k everyone-signs update, 49.6k of calldata, 7k of G2ADD, 3.2k of hashing), so what is left \
                is about 19k of EVM bookkeeping, most of it the walk. Tried and measured: a branch-free walk \
                (0.5k more) and a walk that climbs one member at a time with a stack (the same as level by \
                level). Not worth it: computing the padding's zero subtrees on chain instead of sending them \
                (1.5k less calldata here, about as much more execution); compressed 96-byte keys (half the key \
                calldata, but an Fp2 square root per key on chain costs more than it saves).
                - **Commit** (the bidder client attaches collateral + fee): 21,000 base + about 0.9k calldata, two \
                fresh bid slots (bidder + collateral, commitment) 44.2k, the window's bid counter 5k (the window's \
                first bid pays 17.1k more for that fresh slot), the event 2.4k, about 2.7k execution. Drawing \
                collateral and fee from the free balance adds its cold read and write, 5.3k.
                - **Reveal** (one-rollup bundle, random 32-byte salt): 21,000 base + about 1.5k calldata, the \
                bid's three slots read 6.3k, the commitment slot overwritten with the bundle 2.9k, the fresh \
                sequencer + amount slot 20k, the reserve check one cold read per rollup 2.1k (the latest terms \
                and their version count share one word), the event 2.3k, about 3.9k execution (ABI decoding, the \
                commitment's keccak, the phase). Met with almost no margin; each further rollup in the bundle \
                adds about 2.3k.
                - **Resolution** reads two slots per bid (reserves were checked at reveal and a window's terms are \
                frozen) and stores the allocation packed eight bid ids per slot.
                """);
        if (!traces.isEmpty()) {
            md.append("\n## Light-client updates, opcode by opcode\n\nFrom `debug_traceCall` on Anvil, replaying each update on the state before it ")
                    .append("(`dev.cortado.devnet.gas.GasTrace`): each step is charged the gas it consumed, a precompile ")
                    .append("call what the precompile used; items under 500 gas are summed as other opcodes.\n\n");
            for (Traced t : traces) {
                md.append("- **").append(t.operation()).append(", ").append(t.detail()).append(":** ")
                        .append(t.trace().describe(500)).append('\n');
            }
        }
        Files.writeString(out.resolve("gas.md"), md.toString());
        JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        Files.writeString(out.resolve("gas.json"), json.writeValueAsString(Map.of(
                "tool", "dev.cortado.devnet.gas.GasReport", "l1", "anvil --hardfork prague", "rows", rows)) + "\n");
    }
}
