package dev.cortado.devnet.cli;

import dev.cortado.devnet.deploy.Deployment;
import dev.cortado.devnet.run.Devnet;
import dev.cortado.devnet.run.NodeWatch;
import dev.cortado.devnet.run.StorySnapshot;
import dev.cortado.devnet.run.StoryView;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code cortado status --devnet}: the running devnet's picture in one shot, the same line the devnet prints each
 * slot plus the nodes and the rights they enforce. It reads the devnet's own {@code /api/snapshot} (the dashboard's),
 * found through {@code <out>/dashboard.url}, so it shows exactly what the terminal and the page show. With
 * {@code --node URL} (repeatable) it asks those nodes instead, for the two lines they can answer alone: their health
 * and the rights they enforce. With {@code --deployment FILE} it reads the L1 side (slot, window result, light client,
 * last batch) from L1 alone, no devnet needed; with both it prints both.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Print the running devnet's status line (window, holders, pre-confirmation p50, HotShot, light "
                + "client, last batch), its nodes and the sequencing rights they enforce, once.")
public final class StatusCommand implements Callable<Integer> {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Spec
    CommandSpec spec;

    @Option(names = "--devnet", description = "read the devnet running from --out (the default)")
    boolean devnet;

    @Option(names = "--out", defaultValue = ".devnet", description = "the devnet's folder (default .devnet)")
    Path out;

    @Option(names = "--dashboard", paramLabel = "URL", description = "a devnet dashboard's URL instead of <out>/dashboard.url")
    URI dashboard;

    @Option(names = "--node", paramLabel = "URL", description = "ask this node's API directly (repeatable): its health "
            + "and the sequencing rights it enforces, without a devnet")
    List<URI> nodes;

    @Option(names = "--deployment", paramLabel = "FILE", description = "a deployment.json (RPC URL and contract addresses): "
            + "print the L1 side (slot, window result, light client, last batch) read from L1 alone; combines with --node")
    Path deployment;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            boolean direct = deployment != null || (nodes != null && !nodes.isEmpty());
            if (direct && (devnet || dashboard != null)) {
                throw new IllegalArgumentException("use --node / --deployment, or --devnet / --dashboard, not both");
            }
            if (deployment != null) {
                if (!Files.isRegularFile(deployment)) throw new IllegalArgumentException("--deployment " + deployment + " is not a file");
                L1StatusLines.read(Deployment.read(deployment)).forEach(o::println);
                o.flush();
            }
            if (nodes != null && !nodes.isEmpty()) {
                for (URI n : nodes) {
                    if (!("http".equals(n.getScheme()) || "https".equals(n.getScheme())) || n.getHost() == null) {
                        throw new IllegalArgumentException("--node must be an http(s) URL, got " + n);
                    }
                }
                NodeWatch.Reading r = NodeWatch.readOnce(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(), nodes);
                o.println(nodesLine(r.health()));
                o.println(rightsLine(r.rights()));
                o.flush();
                if (r.health().stream().noneMatch(StorySnapshot.NodeHealth::up)) {
                    err.println("cortado status: no node answered");
                    err.flush();
                    return 1;
                }
                return 0;
            }
            if (deployment != null) return 0;
            URI base = dashboard != null ? dashboard : readUrl(out.resolve(Devnet.DASHBOARD_URL_FILE));
            StorySnapshot s = fetch(base.resolve("/api/snapshot"));
            render(s).forEach(o::println);
            o.flush();
            return 0;
        } catch (IOException | JacksonException | IllegalArgumentException | java.io.UncheckedIOException
                | dev.cortado.settlement.port.L1Client.L1Exception e) {
            err.println("cortado status: " + e.getMessage());
            err.flush();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static URI readUrl(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no devnet is running from " + file.getParent() + " (" + file.getFileName()
                    + " is missing; start one with ./cortado devnet, or it runs with --no-dashboard)");
        }
        String url = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!url.matches("http://127\\.0\\.0\\.1:\\d{1,5}/")) throw new IOException(file + " does not hold a local dashboard URL: " + url);
        return URI.create(url);
    }

    private static StorySnapshot fetch(URI uri) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new IOException("the devnet's dashboard at " + uri + " does not answer; is the devnet still running?", e);
        }
        if (r.statusCode() != 200) throw new IOException(uri + " answered " + r.statusCode() + ": " + r.body());
        StorySnapshot s = JSON.readValue(r.body(), StorySnapshot.class);
        if (s.clock() == null || s.hotShot() == null || s.lightClient() == null || s.parts() == null) {
            throw new IOException(uri + " did not answer with a devnet snapshot");
        }
        return s;
    }

    static String nodesLine(List<StorySnapshot.NodeHealth> health) {
        List<String> nodes = new ArrayList<>();
        for (StorySnapshot.NodeHealth n : health) {
            nodes.add(n.up() ? "node " + n.index() + " h" + n.height() + " v" + n.view() + " " + n.peers() + " peers " + n.link()
                    + " rejected " + n.rejected() : "node " + n.index() + " unreachable");
        }
        return "nodes: " + (nodes.isEmpty() ? "none reported yet" : String.join("; ", nodes));
    }

    static String rightsLine(StorySnapshot.NetworkRights r) {
        if (r == null) return "rights: no node reports sequencing rights yet";
        List<String> rights = new ArrayList<>();
        for (StorySnapshot.NamespaceRight n : r.namespaces()) rights.add(n.namespace() + " " + n.reason() + " " + n.holder());
        return "rights enforced after height " + r.height() + " (window " + r.window() + ", slot " + r.slot() + "): "
                + (rights.isEmpty() ? "no registered rollups" : String.join(", ", rights));
    }

    /** The lines printed: the devnet's slot line, then one line for the nodes and one for the rights they enforce. */
    public static List<String> render(StorySnapshot s) {
        List<String> lines = new ArrayList<>();
        lines.add(StoryView.line(s));
        lines.add(nodesLine(s.nodes() == null ? List.of() : s.nodes()));
        lines.add(rightsLine(s.rights()));
        StorySnapshot.Transactions t = s.transactions();
        if (t != null && s.parts().market()) {
            lines.add("demo users: " + t.usersSent() + " sent, " + t.usersUnanswered() + " unanswered by a silent winner, "
                    + t.usersRefused() + " refused" + (t.lastUserRefusal() == null || t.lastUserRefusal().isEmpty() ? ""
                    : " (last: " + t.lastUserRefusal().strip() + ")"));
        }
        if (s.problems() != null && !s.problems().isBlank()) lines.add("problems: " + s.problems().strip().replace('\n', ';'));
        return lines;
    }
}
