package dev.cortado.devnet.sequencer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.cortado.protocol.types.Address;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Both sides of the silence fallback in {@link FallbackRights}, and the node majority {@link NodeFallbackReports} needs. */
class FallbackRightsTest {
    private static final Address WINNER = Address.fromHex("0x00000000000000000000000000000000000000aa");
    private static final Address DEFAULT = Address.fromHex("0x00000000000000000000000000000000000000dd");
    private static final Address OTHER = Address.fromHex("0x00000000000000000000000000000000000000ee");
    private static final long SOLD = 10;
    private static final long UNSOLD = 20;
    private static final FallbackRights.Holders ON_L1 = (w, ns) -> ns == SOLD ? Optional.of(new FallbackRights.Holding(WINNER, DEFAULT))
            : ns == UNSOLD ? Optional.of(new FallbackRights.Holding(DEFAULT, DEFAULT)) : Optional.empty();
    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    /** L1's answer for {@code self}: it holds what L1 gives it. */
    private static SequencerRights l1For(Address self) {
        return (w, ns) -> ON_L1.holding(w, ns).map(h -> h.holder().equals(self) ? null : "belongs to " + h.holder().toHex())
                .map(Optional::of).orElse(Optional.empty());
    }

    @Test
    void fallbackMovesTheRollupFromTheWinnerToTheDefaultAndNothingElse() {
        Set<Long> fallenWindows = new java.util.HashSet<>();
        FallbackRights.Fallen fallen = (w, ns, winner) -> ns == SOLD && winner.equals(WINNER) && fallenWindows.contains(w);
        FallbackRights winner = new FallbackRights(l1For(WINNER), ON_L1, WINNER, fallen);
        FallbackRights fallback = new FallbackRights(l1For(DEFAULT), ON_L1, DEFAULT, fallen);
        FallbackRights other = new FallbackRights(l1For(OTHER), ON_L1, OTHER, fallen);

        assertEquals(Optional.empty(), winner.refuse(3, SOLD));
        String early = fallback.refuse(3, SOLD).orElseThrow();
        assertTrue(early.contains("takes it over only once the chain shows " + WINNER.toHex() + " silent in window 3"), early);
        assertEquals(Optional.empty(), fallback.refuse(3, UNSOLD), "the default holds its unsold rollup either way");

        fallenWindows.add(3L);
        String lost = winner.refuse(3, SOLD).orElseThrow();
        assertTrue(lost.contains("fell back to its default sequencer " + DEFAULT.toHex()), lost);
        assertEquals(Optional.empty(), fallback.refuse(3, SOLD));
        assertTrue(other.refuse(3, SOLD).isPresent(), "a third party gains nothing from a fallback");
        assertEquals(Optional.empty(), winner.refuse(4, SOLD), "the next window is the winner's again");
        assertTrue(fallback.refuse(4, SOLD).isPresent());
    }

    @Test
    void onlyAMajorityOfNodesMakesAWinnerFallen() throws Exception {
        String says = "{\"market\": {\"window\": 7, \"fallenSilent\": [\"" + WINNER.toHex().toUpperCase().replace("0X", "0x") + "\"]}}";
        String silent = "{\"market\": {\"window\": 7, \"fallenSilent\": []}}";
        URI a = node(says);
        URI b = node(says);
        URI liar = node(says);
        URI honest = node(silent);
        URI broken = node("{not json");
        AtomicLong now = new AtomicLong(0);

        NodeFallbackReports minority = new NodeFallbackReports(List.of(liar, honest, broken), 100, now::get);
        assertEquals(false, minority.fallen(7, SOLD, WINNER), "answered from what is known, before any poll returns");
        minority.lastPoll().join();
        assertEquals(false, minority.fallen(7, SOLD, WINNER), "1 of 3 is no majority; a broken answer counts as no");

        NodeFallbackReports majority = new NodeFallbackReports(List.of(a, b, honest), 100, now::get);
        majority.fallen(7, SOLD, WINNER);
        majority.lastPoll().join();
        assertTrue(majority.fallen(7, SOLD, WINNER));
        assertEquals(false, majority.fallen(8, SOLD, WINNER), "the report speaks of window 7 only");
        majority.lastPoll().join();
        assertEquals(false, majority.fallen(8, SOLD, WINNER));
        assertTrue(majority.fallen(7, SOLD, WINNER), "a fallback once seen is kept for its window");
    }

    private URI node(String statusBody) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = statusBody.getBytes(StandardCharsets.UTF_8);
        s.createContext("/v0/status", ex -> {
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        s.start();
        servers.add(s);
        return URI.create("http://127.0.0.1:" + s.getAddress().getPort() + "/");
    }
}
