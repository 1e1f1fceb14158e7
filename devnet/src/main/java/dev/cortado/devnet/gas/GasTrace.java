package dev.cortado.devnet.gas;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where a mined transaction's gas went, from an opcode trace (the struct logger of
 * {@code debug_traceCall}, which Anvil serves) of the same call replayed on the state before it. Each step is charged what it really consumed: the gas
 * left before it minus the gas left before the next step at the same depth, so a call is charged what
 * its callee used, not what it was forwarded. Calls to precompiles are named by address; the rest is
 * grouped by opcode. What the trace does not see (21,000 base, calldata, access lists, refunds) is
 * the receipt's gas minus the traced execution.
 *
 * @param gasUsed the receipt's gas
 * @param executionGas the gas the trace's steps consumed (all depths)
 * @param byItem gas per precompile ("precompile 0x0f PAIRING_CHECK") or opcode ("SSTORE"), largest first
 */
public record GasTrace(long gasUsed, long executionGas, Map<String, Long> byItem) {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<Integer, String> PRECOMPILES = Map.ofEntries(Map.entry(0x02, "SHA256"),
            Map.entry(0x05, "MODEXP"), Map.entry(0x0b, "G1ADD"), Map.entry(0x0c, "G1MSM"), Map.entry(0x0d, "G2ADD"),
            Map.entry(0x0e, "G2MSM"), Map.entry(0x0f, "PAIRING_CHECK"), Map.entry(0x10, "MAP_FP_TO_G1"),
            Map.entry(0x11, "MAP_FP2_TO_G2"));

    /** The receipt's gas minus the traced execution: 21,000, calldata and anything else charged up front. */
    public long intrinsicGas() {
        return gasUsed - executionGas;
    }

    /** Traces {@code txHash} on the node at {@code rpcUrl}. */
    public static GasTrace of(String rpcUrl, String txHash, long gasUsed) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        JsonNode tx = rpc(http, rpcUrl, "eth_getTransactionByHash", "[\"" + txHash + "\"]");
        // Anvil records no steps for mined transactions unless started with --steps-tracing, so the
        // transaction is replayed with debug_traceCall on the state before its block (one transaction
        // per block under automine): same sender, calldata, value and gas, so the same cold and warm
        // accesses.
        long block = Long.decode(tx.get("blockNumber").asText());
        String call = String.format("{\"from\":\"%s\",\"to\":\"%s\",\"data\":\"%s\",\"value\":\"%s\",\"gas\":\"%s\"}",
                tx.get("from").asText(), tx.get("to").asText(), tx.get("input").asText(), tx.get("value").asText(),
                tx.get("gas").asText());
        JsonNode result = rpc(http, rpcUrl, "debug_traceCall", "[" + call + ",\"" + String.format("0x%x", block - 1)
                + "\",{\"disableStorage\":true,\"enableMemory\":false,\"disableStack\":false}]");
        JsonNode logs = result.get("structLogs");
        if (logs == null || logs.isEmpty()) throw new IOException("debug_traceCall of " + txHash + " returned no steps");
        Map<String, Long> by = new TreeMap<>();
        long execution = 0;
        for (int i = 0; i < logs.size(); i++) {
            JsonNode step = logs.get(i);
            int depth = step.get("depth").asInt();
            long cost = consumed(logs, i, depth);
            execution += depth == 1 ? cost : 0;
            if (depth != 1) continue;
            by.merge(item(step), cost, Long::sum);
        }
        Map<String, Long> sorted = new LinkedHashMap<>();
        by.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return new GasTrace(gasUsed, execution, sorted);
    }

    private static JsonNode rpc(HttpClient http, String rpcUrl, String method, String params)
            throws IOException, InterruptedException {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(rpcUrl)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode root = JSON.readTree(r.body());
        if (root.has("error")) throw new IOException(method + ": " + root.get("error"));
        return root.get("result");
    }

    /** Gas left before step {@code i} minus gas left before the next step at the same depth (or its own cost). */
    private static long consumed(JsonNode logs, int i, int depth) {
        long before = logs.get(i).get("gas").asLong();
        for (int j = i + 1; j < logs.size(); j++) {
            int d = logs.get(j).get("depth").asInt();
            if (d == depth) return before - logs.get(j).get("gas").asLong();
            if (d < depth) break;
        }
        return logs.get(i).get("gasCost").asLong();
    }

    private static String item(JsonNode step) {
        String op = step.get("op").asText();
        if (op.equals("STATICCALL") || op.equals("CALL")) {
            JsonNode stack = step.get("stack");
            if (stack != null && stack.size() >= 2) {
                // The stack is listed bottom first; a call's second operand (the address) is one below the top.
                BigInteger to = new BigInteger(stack.get(stack.size() - 2).asText().replace("0x", ""), 16);
                String name = to.bitLength() <= 8 ? PRECOMPILES.get(to.intValue()) : null;
                if (name != null) return String.format("precompile 0x%02x %s", to.intValue(), name);
            }
        }
        return op;
    }

    /** One line per item above {@code minGas}, then the rest summed. */
    public String describe(long minGas) {
        StringBuilder out = new StringBuilder(String.format("gas %,d = intrinsic (base + calldata) %,d + execution %,d:",
                gasUsed, intrinsicGas(), executionGas));
        long rest = 0;
        for (Map.Entry<String, Long> e : byItem.entrySet()) {
            if (e.getValue() >= minGas) out.append(String.format(" %s %,d;", e.getKey(), e.getValue()));
            else rest += e.getValue();
        }
        return out.append(String.format(" other opcodes %,d", rest)).toString();
    }
}
