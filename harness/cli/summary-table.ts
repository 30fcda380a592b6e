import Table from "cli-table3";
import type { RunResult } from "../result/result-schema.js";
import { faultOutcome } from "../faults/fault-results.js";
import { targetNotHeldText } from "../result/entry-status.js";
import { errorMessageText } from "../result/error-message-text.js";

const ms = (v: number) => (v < 10 ? v.toFixed(2) : v < 1000 ? v.toFixed(1) : v.toFixed(0));
const rate = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(1)}k` : v.toFixed(0));
const nullable = (v: number | null, f: (x: number) => string) => (v === null ? "–" : f(v));

const SHOWN_ERROR_MESSAGES = 5;

/** The end-of-run table: one row per adapter × workload, latencies in ms. */
export function summaryTable(result: RunResult): string {
  const table = new Table({
    head: ["adapter", "scenario", "status", "target/s", "acked/s", "consumed/s", "publish p50/p99/p99.9/max", "e2e p50/p99/p99.9/max", "lag max ev/ms", "lost/dup/ooo"],
    style: { head: [], border: [] },
  });
  for (const r of result.runs) {
    const p = r.latency.publish;
    const e = r.latency.endToEnd;
    table.push([
      r.adapter,
      r.scenario,
      r.status + (r.harness.flagged ? " ⚠" : ""),
      r.mode === "closed-loop" ? `closed ${r.settings.vus} vus` : rate(r.throughput.target),
      rate(r.throughput.acked),
      rate(r.throughput.consumed),
      p.count ? `${ms(p.p50)} / ${ms(p.p99)} / ${ms(p.p999)} / ${ms(p.max)}` : "–",
      e.count ? `${ms(e.p50)} / ${ms(e.p99)} / ${ms(e.p999)} / ${ms(e.max)}` : "–",
      `${nullable(r.consumerLag.maxEvents, rate)} / ${nullable(r.consumerLag.maxMs, ms)}${r.consumerLag.source === "harness" ? " (counted)" : ""}`,
      `${r.delivery.lost}/${r.delivery.duplicated}/${r.delivery.outOfOrder}`,
    ]);
  }
  const lines = [table.toString()];
  // The workload's own figures (conflicts, projection lag …), one line per entry that has them.
  for (const r of result.runs) {
    const own = r.figures.filter((f) => f.fault === undefined);
    if (own.length === 0) continue;
    const shown = own.map((f) => `${f.name} ${f.value === null ? "–" : `${Number(f.value.toFixed(3))}${f.unit === "%" ? "%" : ` ${f.unit}`}`}`);
    lines.push(`  ${r.adapter} ${r.scenario}: ${shown.join("; ")}`);
  }
  // Each fault on a line of its own: when the system served again, what it cost.
  for (const r of result.runs) {
    for (const f of r.faults ?? []) lines.push(`  ${r.adapter} ${r.scenario}: ${faultOutcome(f)}`);
  }
  // The harness's own footprint: threads it ran on, and whether its memory stayed flat.
  for (const r of result.runs) {
    const rss = r.harness.rssMiB;
    const threads = r.settings.threads;
    if (!rss || !threads) continue;
    const ceiling = r.harness.ceiling ? `, ${(r.harness.ceiling.share * 100).toFixed(1)} % of its ceiling here` : "";
    lines.push(`  ${r.adapter} ${r.scenario}: harness ${threads.producers} producer / ${threads.consumers} consumer thread(s), RSS ${rss.start.toFixed(0)} → ${rss.end.toFixed(0)} MiB (max ${rss.max.toFixed(0)})${ceiling}`);
  }
  for (const r of result.runs) {
    for (const t of r.thresholds) lines.push(`  ${t.passed ? "✓" : "✗"} ${r.adapter} ${r.scenario}: ${t.metric} ${t.expression} (value ${t.value ?? "no data"})`);
    const unheld = targetNotHeldText(r);
    if (unheld) lines.push(`  ${r.targetHeld?.gate ? "✗" : "⚠"} ${r.adapter} ${r.scenario}: ${unheld}`);
    for (const w of r.harness.warnings) lines.push(`  ⚠ ${r.adapter} ${r.scenario}: ${w}`);
    if (r.error) lines.push(`  ✗ ${r.adapter} ${r.scenario}: ${r.error}`);
    // Why appends failed, most frequent first; the rest (20 kinds at most) is in result.json.
    const messages = r.delivery.errorMessages ?? [];
    for (const m of messages.slice(0, SHOWN_ERROR_MESSAGES)) lines.push(`    ${r.adapter} ${r.scenario} failed appends: ${errorMessageText(m)}`);
    if (messages.length > SHOWN_ERROR_MESSAGES) lines.push(`    ${r.adapter} ${r.scenario}: ${messages.length - SHOWN_ERROR_MESSAGES} more kinds of failed appends in result.json and report.html`);
  }
  for (const s of result.skipped) lines.push(`  skipped ${s.adapter}: ${s.reason}`);
  return lines.join("\n");
}
