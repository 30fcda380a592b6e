import { closeSync, openSync, writeSync } from "node:fs";
import { HistogramLogWriter } from "hdr-histogram-js";
import type { Histogram } from "./latency-histogram.js";

/**
 * An HdrHistogram interval log (.hlog): one tagged line per metric per second, readable by
 * HistogramLogAnalyzer and every HdrHistogram port. Written as the run goes, so memory stays flat.
 */
export class HistogramLogFile {
  private readonly fd: number;
  private readonly writer: HistogramLogWriter;

  constructor(readonly path: string, startWallMs: number) {
    this.fd = openSync(path, "w");
    this.writer = new HistogramLogWriter((text) => void writeSync(this.fd, text));
    this.writer.outputComment("eventbench interval histograms; values in microseconds, max column in milliseconds");
    this.writer.outputLogFormatVersion();
    this.writer.outputStartTime(startWallMs);
    this.writer.outputLegend();
  }

  write(metric: string, h: Histogram, startS: number, endS: number): void {
    h.tag = metric;
    this.writer.outputIntervalHistogram(h, startS, endS, 1000);
  }

  close(): void {
    closeSync(this.fd);
  }
}
