/**
 * What every contender module exports. A contender runs in its own Node process (see
 * bench/child.ts), so its heap and peak RSS are its own.
 * @module
 */
import type { Workload } from '../workloads.js';

/** Knobs some contenders take; the plan sets them per entry. */
export interface ContenderSettings {
  /** Records per channel write (hand-written batched feeder). */
  batchRecords?: number;
  /** Bytes per channel write, whichever of records or bytes comes first (batched feeder). */
  batchBytes?: number;
}

/** One way of running a workload, timed from the start of `run` to its end. */
export interface Contender {
  /** Untimed set-up, e.g. writing input files. */
  prepare?(workload: Workload): Promise<void>;
  /** Runs the whole job: spawn, feed every record, wait for every child to exit. */
  run(workload: Workload, settings: ContenderSettings): Promise<void>;
}
