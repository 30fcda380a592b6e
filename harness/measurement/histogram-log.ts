import { closeSync, openSync, renameSync, writeSync } from "node:fs";
import { HistogramLogWriter } from "hdr-histogram-js";
import { partialPathOf, ResultWriteError } from "../result/atomic-file.js";
import type { Histogram } from "./latency-histogram.js";

/**
 * An HdrHistogram interval log (.hlog): one tagged line per metric per interval, readable by
 * HistogramLogAnalyzer and every HdrHistogram port. Written as the run goes, so memory stays flat,
 * under a temporary name renamed into place when it is closed: a log under its own name is whole.
 *
 * Interval timestamps are seconds since the entry's t0, and the header says so the way the format
 * defines it: StartTime and BaseTime are both t0. The reference readers (Java's HistogramLogReader,
 * and the ports) add BaseTime to each timestamp and skip an interval that starts before StartTime,
 * so the first interval, which starts at t0 exactly, is read with their default options.
 */
export class HistogramLogFile {
  private readonly fd: number;
  private readonly writer: HistogramLogWriter;
  private started = false;

  constructor(readonly path: string) {
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
  }

  /** The entry's clock starts (t0, wall clock): the header's StartTime and BaseTime. */
  startsAt(t0WallMs: number): void {
    this.writer.outputStartTime(t0WallMs);
    // HistogramLogWriter.outputBaseTime's line, which the JavaScript writer lacks.
    this.writer.outputComment(`[BaseTime: ${(t0WallMs / 1000).toFixed(3)} (seconds since epoch)]`);
    this.writer.outputLegend();
    this.started = true;
  }

  /** One interval of `metric`, from `fromS` to `toS` seconds since t0 (as measured, not as scheduled). */
  write(metric: string, h: Histogram, fromS: number, toS: number): void {
    this.line(metric, h, fromS, toS);
  }

  /**
   * The interval's end-to-end latency of all groups, untagged: the series a reader takes when it is
   * given no tag (HistogramLogProcessor without -tag reads untagged lines only, and fails on a log
   * that has none). Written for every interval, empty when nothing was received.
   */
  writeUntagged(h: Histogram, fromS: number, toS: number): void {
    this.line("", h, fromS, toS);
  }

  /** The writer leaves a line untagged when the histogram's tag is empty. */
  private line(tag: string, h: Histogram, fromS: number, toS: number): void {
    if (!this.started) throw new Error(`${this.path}: an interval written before the entry's t0 (startsAt) was known`);
    h.tag = tag;
    this.writer.outputIntervalHistogram(h, fromS, toS, 1000);
  }

  /** Throws a ResultWriteError when the log cannot be put under its name (a read-only or full disk). */
  close(): void {
    try {
      closeSync(this.fd);
      renameSync(partialPathOf(this.path), this.path);
    } catch (error) {
      throw new ResultWriteError(this.path, error as NodeJS.ErrnoException);
    }
  }
}
