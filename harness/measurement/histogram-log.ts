import { closeSync, openSync, renameSync, writeSync } from "node:fs";
import { HistogramLogWriter } from "hdr-histogram-js";
import { partialPathOf, ResultWriteError } from "../result/atomic-file.js";
import type { Histogram } from "./latency-histogram.js";

/**
 * An HdrHistogram interval log (.hlog): one tagged line per metric per second, readable by
 * HistogramLogAnalyzer and every HdrHistogram port. Written as the run goes, so memory stays flat,
 * under a temporary name renamed into place when it is closed: a log under its own name is whole.
 */
export class HistogramLogFile {
  private readonly fd: number;
  private readonly writer: HistogramLogWriter;

  constructor(readonly path: string, startWallMs: number) {
    this.fd = openSync(partialPathOf(path), "w");
    this.writer = new HistogramLogWriter((text) => {
      try {
        writeSync(this.fd, text);
      } catch (error) {
        throw new ResultWriteError(path, error as NodeJS.ErrnoException);
      }
    });
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
    renameSync(partialPathOf(this.path), this.path);
  }
}
