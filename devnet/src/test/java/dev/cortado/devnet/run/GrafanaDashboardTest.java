package dev.cortado.devnet.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.l1.ProjectPaths;
import dev.cortado.devnet.testing.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * docs/grafana-dashboard.json cannot rot: every metric its queries name is in the {@code /metrics} scrape of a
 * running node (four nodes and a broker in this JVM, no L1), after a transaction was decided and the API answered.
 */
class GrafanaDashboardTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Every metric a node exports starts with cortado_; label names and PromQL functions never do. */
    private static final Pattern METRIC = Pattern.compile("\\b(cortado_[a-z0-9_]+)\\b");

    @TempDir Path dir;

    @Test
    void everyMetricTheDashboardQueriesIsExportedByARunningNode() throws Exception {
        JsonNode dashboard = JSON.readTree(Files.readString(ProjectPaths.root().resolve("docs/grafana-dashboard.json")));
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertTrue(panel.path("targets").size() > 0, "panel " + panel.path("title") + " queries nothing");
            for (JsonNode t : panel.get("targets")) exprs.add(t.get("expr").asString());
        }
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("type").asString().equals("query")) exprs.add(v.get("definition").asString());
        }
        Set<String> queried = new TreeSet<>();
        for (String e : exprs) {
            Matcher m = METRIC.matcher(e);
            boolean any = false;
            while (m.find()) {
                queried.add(m.group(1));
                any = true;
            }
            assertTrue(any, "a query names no cortado metric: " + e);
        }
        assertTrue(queried.size() >= 10, "the dashboard covers the node's metrics: " + queried);

        try (DevnetNetwork network = DevnetNetwork.start(DevnetValidators.generate(4, 3), 0xC0A7AD0L, dir.resolve("nodes"))) {
            URI node = network.apiUrls().getFirst();
            HttpResponse<String> submit = HTTP.send(HttpRequest.newBuilder(node.resolve("/v0/submit"))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"namespace\":10001,\"payload\":\"0x6772616661\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, submit.statusCode(), submit.body());
            String hash = JSON.readTree(submit.body()).get("hash").asString();
            Await.until("the transaction decided", 60_000, () -> status(node.resolve("/v0/tx/" + hash)) == 200, () -> hash);
            String scrape = HTTP.send(HttpRequest.newBuilder(node.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            Set<String> exported = new TreeSet<>();
            for (String line : scrape.split("\n")) {
                if (line.isEmpty() || line.startsWith("#")) continue;
                int end = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
                exported.add(line.substring(0, end));
            }
            Set<String> missing = new TreeSet<>(queried);
            missing.removeAll(exported);
            assertEquals(Set.of(), missing, "queried by docs/grafana-dashboard.json but not exported; exported: " + exported);
        }
    }

    private static int status(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
