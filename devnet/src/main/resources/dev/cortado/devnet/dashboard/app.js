// The devnet dashboard: renders each snapshot the devnet pushes over Server-Sent Events (/api/events).
// Plain DOM code, no libraries and nothing loaded from outside 127.0.0.1.
"use strict";
const $ = (id) => document.getElementById(id);
const NS = "http://www.w3.org/2000/svg";

function eth(wei) {
  if (wei === "" || wei === null || wei === undefined) return "";
  const v = BigInt(wei), unit = 10n ** 18n;
  const whole = v / unit, frac = (v % unit).toString().padStart(18, "0").slice(0, 6).replace(/0+$/, "");
  return whole + (frac ? "." + frac : "") + " ETH";
}
function ms(v) { return v === null || v === undefined ? '<span class="pending">…</span>' : '<span class="lvl">' + v + " ms</span>"; }
function esc(s) { return String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]); }
function rows(tbody, html) { tbody.innerHTML = html.join(""); }
function svg(el, tag, attrs, text) {
  const n = document.createElementNS(NS, tag);
  for (const k in attrs) n.setAttribute(k, attrs[k]);
  if (text !== undefined) n.textContent = text;
  el.appendChild(n);
  return n;
}

function renderClock(s) {
  const c = s.clock;
  $("slot").textContent = c.slot;
  $("window").textContent = c.window < 0 ? "–" : c.window;
  $("l1block").textContent = c.l1Block;
  const tl = $("timeline");
  tl.innerHTML = "";
  if (c.slotsPerWindow <= 0) { $("phase").textContent = "no marketplace story (--no-market)"; return; }
  const S = c.slotsPerWindow, first = (c.window - 1) * S, last = (c.window + 3) * S;
  const x = (slot) => ((slot - first) / (last - first)) * 1000;
  for (let w = c.window; w <= c.window + 2; w++) {
    const y = 4 + (w - c.window) * 26, win = w * S;
    const fin = win - c.finalitySlots, res = fin - c.resolutionSlots, rev = res - c.revealSlots, com = rev - c.commitSlots;
    for (const [a, b, cls] of [[com, rev, "commit"], [rev, res, "reveal"], [res, fin, "resolution"], [fin, win, "settled"],
      [win, win + S, "final"]]) {
      if (com < 0 && cls !== "final") continue; // the contract never auctions a window whose commit phase would start before slot 0
      svg(tl, "rect", { x: x(a), y: y, width: x(b) - x(a), height: 20, class: "seg " + cls,
        fill: { commit: "#8d6e63", reveal: "#ffb300", resolution: "#5c6bc0", settled: "#a5d6a7", final: "#66bb6a" }[cls] });
    }
    svg(tl, "text", { x: x(win) + 4, y: y + 15, "font-size": 12, fill: "#fff" }, "window " + w);
  }
  svg(tl, "line", { x1: x(c.slot + 0.5), x2: x(c.slot + 0.5), y1: 0, y2: 90, stroke: "#c62828", "stroke-width": 2 });
  // The latest auction to have opened: when an auction is longer than a window, the next one's commit phase
  // opens during this one's finality gap (AuctionSchedule.runningAuction).
  const A = c.commitSlots + c.revealSlots + c.resolutionSlots + c.finalitySlots, slot = c.slot;
  const next = Math.floor((slot + A) / S), sNext = next * S;
  let ph;
  if (sNext < A) ph = "no auction open yet";
  else if (slot >= sNext - c.finalitySlots) ph = "final, the window opens at slot " + sNext;
  else if (slot >= sNext - c.finalitySlots - c.resolutionSlots) ph = "resolution";
  else if (slot >= sNext - c.finalitySlots - c.resolutionSlots - c.revealSlots) ph = "reveal";
  else ph = "commit";
  $("phase").innerHTML = "auction of window <b>" + next + "</b>: <b id='auction-phase'>" + ph + "</b>";
}

function renderAuctions(s) {
  const box = $("auctions");
  // Windows before the rollups were registered hold nothing worth a row.
  const ws = s.windows.filter((w) => w.bids.length > 0 || w.holders.some((h) => h.holder !== "unregistered")).slice().reverse();
  if (ws.length === 0) {
    box.innerHTML = '<p class="muted" id="auction-none">' + (s.parts.market ? "no bid yet" : "market story off (--no-market)") + "</p>";
    return;
  }
  box.innerHTML = ws.map((w) => {
    const bids = w.bids.map((b) => '<tr class="' + (b.won ? "won" : "") + '"><td>#' + b.bidId + "</td><td>" + esc(b.bidder)
      + "</td><td>" + esc(b.bundle) + "</td><td>" + (b.revealed ? eth(b.amountWei) : "sealed") + "</td><td>"
      + (b.won ? "won" : (w.phase === "FINAL" ? "lost" : "")) + "</td></tr>").join("");
    const holders = w.holders.map((h) => esc(h.rollup) + " → " + esc(h.holder)).join(", ");
    return '<div class="window" data-window="' + w.window + '" data-phase="' + w.phase + '" data-revenue="' + w.revenueWei + '">'
      + "<b>window " + w.window + "</b> <span class='muted'>" + w.phase.toLowerCase() + "</span>"
      + (w.phase === "FINAL" ? " · revenue <b class='revenue'>" + eth(w.revenueWei) + "</b>" : "")
      + (w.silent ? ' · <span class="silent">winner silent (demo)</span>' : "")
      + "<table><tbody>" + bids + "</tbody></table>"
      + (holders ? '<div class="holders">' + holders + "</div>" : "")
      + (w.resolver ? '<div class="muted">resolver: ' + esc(w.resolver) + "</div>" : "") + "</div>";
  }).join("");
}

function renderRollups(s) {
  const cur = s.windows.find((w) => w.window === s.clock.window);
  const tbody = $("rollups").tBodies[0];
  if (!cur || cur.holders.length === 0) {
    rows(tbody, []);
    $("rollup-note").textContent = s.parts.market ? "holders appear once the window is final on L1" : "market story off";
    return;
  }
  // What the nodes enforce after their decided tip, when they speak of this window: a fallback is their silence rule.
  const enforced = (ns) => (s.rights && s.rights.window === cur.window)
    ? s.rights.namespaces.find((n) => n.namespace === ns) : undefined;
  rows(tbody, cur.holders.map((h) => {
    const e = enforced(h.namespace);
    const silent = cur.silent && !h.holder.startsWith("default");
    const who = e && e.reason === "fallback"
      ? '<span class="fallback" title="' + esc(h.holder) + ' won the window but fell silent">fallback → ' + esc(e.holder) + "</span>"
      : esc(h.holder) + (silent ? " (silent)" : "");
    return '<tr data-right="' + (e ? esc(e.reason) : "") + '"><td>' + esc(h.rollup) + "</td><td>" + h.namespace + "</td><td>"
      + eth(h.reserveWei) + "</td><td" + (silent ? ' class="silent"' : "") + ">" + who + "</td><td>" + eth(h.proceedsWei)
      + "</td></tr>";
  }));
  $("rollup-note").textContent = "window " + cur.window + "; proceeds are each beneficiary's settled payments on L1"
    + (s.rights ? "; the nodes enforce after height " + s.rights.height + " (slot " + s.rights.slot + ")" : "");
}

function renderTxs(s) {
  const t = s.transactions;
  $("tx-summary").textContent = "pre-confirmation p50 " + (t.preconfP50Ms < 0 ? "–" : t.preconfP50Ms + " ms")
    + " · " + t.preconfirmed + " pre-confirmed · " + t.openAccepted + " open-namespace accepted"
    + (t.usersUnanswered ? " · " + t.usersUnanswered + " unanswered by a silent winner" : "")
    + (t.usersRefused ? " · " + t.usersRefused + " refused" : "");
  rows($("txs").tBodies[0], t.recent.slice(0, 24).map((x) => {
    const levels = (x.preconfMs !== null ? 1 : 0) + (x.decidedMs !== null ? 1 : 0) + (x.l1Ms !== null ? 1 : 0);
    // Level 1 is the sequencer's signed promise; the node's own pre_confirmed (bundle pooled) is noted beside it.
    return '<tr data-levels="' + levels + '" data-kind="' + esc(x.kind) + '" data-node-level="' + esc(x.level) + '"><td>'
      + esc(x.hash.slice(0, 10)) + "…</td><td>" + esc(x.rollup) + "</td><td>" + esc(x.kind) + "</td><td>"
      + esc(x.sequencer || "–") + "</td><td>"
      + (x.kind === "open" ? '<span class="muted">open namespace</span>' : ms(x.preconfMs))
      + (x.pooledMs !== null ? ' <span class="muted">pooled ' + ms(x.pooledMs) + "</span>" : "") + "</td><td>" + ms(x.decidedMs)
      + (x.height !== null ? ' <span class="muted">h' + x.height + "</span>" : "") + "</td><td>" + ms(x.l1Ms)
      + (x.l1Block !== null ? ' <span class="muted">L1 #' + x.l1Block + "</span>" : "") + "</td></tr>";
  }));
}

function renderHotShot(s) {
  const h = s.hotShot;
  $("height").textContent = h.height; $("view").textContent = h.view; $("leader").textContent = h.leader;
  $("rate").textContent = h.decidesPerSec.toFixed(2);
  $("epoch").textContent = h.epoch < 0 ? "one table" : h.epoch + " (" + h.validators + " validators)";
  $("stake-events").innerHTML = (h.stakeEvents || []).map((e) => "<li>" + esc(e) + "</li>").join("");
  const ch = $("chart");
  ch.innerHTML = "";
  const pts = h.history.filter((p) => p[1] >= 0);
  if (pts.length < 2) return;
  const t0 = pts[0][0], t1 = pts[pts.length - 1][0], h0 = pts[0][1], h1 = Math.max(pts[pts.length - 1][1], h0 + 1);
  const d = pts.map((p, i) => (i ? "L" : "M") + (((p[0] - t0) / Math.max(1, t1 - t0)) * 400).toFixed(1) + ","
    + (95 - ((p[1] - h0) / (h1 - h0)) * 90).toFixed(1)).join(" ");
  svg(ch, "path", { d: d, fill: "none", stroke: "#3b2a20", "stroke-width": 2 });
  svg(ch, "text", { x: 4, y: 14, "font-size": 11, fill: "#888" }, "height " + h0 + " → " + pts[pts.length - 1][1] + " (2 min)");
}

function renderLightClient(s) {
  const l = s.lightClient;
  $("lc-height").textContent = l.heightOnL1 < 0 ? (s.parts.lightClient ? "none yet" : "poster off") : l.heightOnL1;
  $("lc-lag").textContent = l.lagBlocks < 0 ? "–" : l.lagBlocks;
  $("lc-threshold").textContent = l.escapeHatchBlocks + " L1 blocks";
  const frac = l.lagBlocks < 0 ? 0 : Math.min(1, l.lagBlocks / l.escapeHatchBlocks);
  $("lc-bar").style.width = (frac * 100).toFixed(0) + "%";
  $("lc-bar").className = l.lagBlocks >= l.escapeHatchBlocks ? "over" : "";
}

function renderBatches(s) {
  $("batch-none").textContent = s.batches.length ? "" : (s.parts.batches ? "no batch yet" : "batch poster off (--no-batches)");
  rows($("batches").tBodies[0], s.batches.map((b) => "<tr><td>" + b.firstHeight + "–" + b.lastHeight + "</td><td>" + b.frameBytes
    + " B</td><td>" + b.payloadBytes + " B</td><td>" + b.ratio.toFixed(2) + "×</td><td>" + esc(b.scope) + "</td><td>" + b.carrier + "</td><td>" + b.gasUsed
    + "</td><td>" + eth(b.costWei) + "</td><td>" + b.costPerByteWei + " wei</td><td>" + b.l1Block + "</td></tr>"));
}

function renderNodes(s) {
  rows($("nodes").tBodies[0], s.nodes.map((n) => "<tr" + (n.up ? "" : ' class="silent"') + "><td>" + n.index + "</td><td>"
    + n.height + "</td><td>" + n.view + "</td><td>" + n.peers + "</td><td>" + esc(n.link) + "</td><td>" + n.rejected + "</td></tr>"));
  $("problems").textContent = s.problems || "";
}

function render(s) {
  const p = s.parts;
  $("parts").innerHTML = [["market", p.market], ["sequencers", p.sequencers], ["silence every " + p.silenceEveryWindows, p.silence],
    ["light client", p.lightClient], ["batches", p.batches]].map(([n, on]) => "<span>" + (on ? "✔ " : "✘ ") + n + "</span>").join("");
  renderClock(s); renderAuctions(s); renderRollups(s); renderTxs(s); renderHotShot(s); renderLightClient(s); renderBatches(s);
  renderNodes(s);
}

function connect() {
  const es = new EventSource("/api/events");
  es.addEventListener("snapshot", (e) => {
    $("conn").textContent = "live"; $("conn").className = "badge live";
    try { render(JSON.parse(e.data)); } catch (err) { $("problems").textContent = "dashboard: " + err; }
  });
  es.onerror = () => { $("conn").textContent = "reconnecting…"; $("conn").className = "badge lost"; };
}
connect();
