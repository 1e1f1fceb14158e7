package dev.cortado.devnet.gas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class GasReportTest {

    @Test
    void measuresEveryOperationOnAnvilAndWritesBothReports(@TempDir Path dir) throws Exception {
        List<GasReport.Traced> traces = new java.util.ArrayList<>();
        List<GasReport.Row> rows = GasReport.measure(traces);
        List<String> ops = rows.stream().map(GasReport.Row::operation).distinct().toList();
        assertEquals(List.of("light-client update, everyone signs", "light-client update, 10% do not sign",
                "light-client update, everyone signs, first", "stake-table registration with PoP",
                "marketplace commit", "marketplace reveal", "marketplace resolution", "batch post (calldata)"), ops);
        assertEquals(17, rows.size());
        for (GasReport.Row r : rows) {
            assertTrue(r.gasUsed() > 21_000 && r.gasUsed() < 10_000_000, r.toString());
        }
        // Absent signers cost calldata, proofs and G2 additions: more of them, more gas.
        long allAt100 = gasOf(rows, "light-client update, everyone signs", "n = 100");
        long tenthAt100 = gasOf(rows, "light-client update, 10% do not sign", "n = 100");
        long tenthAt200 = gasOf(rows, "light-client update, 10% do not sign", "n = 200");
        assertTrue(allAt100 < tenthAt100 && tenthAt100 < tenthAt200);
        assertEquals(5, rows.stream().filter(r -> r.targetGas() != null).count(), "the five gas targets of the auction issue");

        // The opcode traces of the two n = 100 updates account for every unit of the receipt's gas.
        assertEquals(2, traces.size());
        GasTrace all = traces.get(0).trace();
        GasTrace tenth = traces.get(1).trace();
        assertEquals(allAt100, all.gasUsed());
        assertEquals(tenthAt100, tenth.gasUsed());
        for (GasTrace t : List.of(all, tenth)) {
            assertEquals(t.executionGas(), t.byItem().values().stream().mapToLong(Long::longValue).sum());
            // The two-pair pairing check at its EIP-2537 price, two maps to G1, and a 21,000 base under the intrinsic part.
            assertEquals(37_700 + 2 * 32_600 + 100, t.byItem().get("precompile 0x0f PAIRING_CHECK"));
            long maps = t.byItem().get("precompile 0x10 MAP_FP_TO_G1");
            assertTrue(maps >= 2 * (5_500 + 100) && maps < 2 * (5_500 + 100) + 100, t.describe(0));
            assertTrue(t.intrinsicGas() > 21_000, t.describe(0));
        }
        // Ten absent members: nine G2 additions for their sum and one to take it from the aggregate.
        assertEquals(10 * (600 + 100), tenth.byItem().get("precompile 0x0d G2ADD"));
        assertTrue(!all.byItem().containsKey("precompile 0x0d G2ADD"), all.describe(0));

        GasReport.write(rows, traces, dir);
        String md = Files.readString(dir.resolve("gas.md"));
        assertTrue(md.contains("| light-client update, everyone signs | n = 100"), md);
        assertTrue(md.contains("- **10% do not sign, n = 100:** gas " + String.format("%,d", tenthAt100)), md);
        JsonNode json = JsonMapper.builder().build().readTree(Files.readString(dir.resolve("gas.json")));
        assertEquals(17, json.get("rows").size());
        assertEquals(allAt100, json.get("rows").get(3).get("gasUsed").asLong());
    }

    private static long gasOf(List<GasReport.Row> rows, String op, String detailPrefix) {
        return rows.stream().filter(r -> r.operation().equals(op) && r.detail().startsWith(detailPrefix))
                .findFirst().orElseThrow().gasUsed();
    }
}
