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
        List<GasReport.Row> rows = GasReport.measure();
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

        GasReport.write(rows, dir);
        String md = Files.readString(dir.resolve("gas.md"));
        assertTrue(md.contains("| light-client update, everyone signs | n = 100"), md);
        JsonNode json = JsonMapper.builder().build().readTree(Files.readString(dir.resolve("gas.json")));
        assertEquals(17, json.get("rows").size());
        assertEquals(allAt100, json.get("rows").get(3).get("gasUsed").asLong());
    }

    private static long gasOf(List<GasReport.Row> rows, String op, String detailPrefix) {
        return rows.stream().filter(r -> r.operation().equals(op) && r.detail().startsWith(detailPrefix))
                .findFirst().orElseThrow().gasUsed();
    }
}
