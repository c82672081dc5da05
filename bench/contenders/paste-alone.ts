/**
 * paste's own ceiling: one `paste -d '\t' nums text` process reading two ready-made files of
 * the canonical job's lines, output discarded. No feeder can push records through a paste
 * child faster than this, per process.
 * @module
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { canonicalRecords, type Workload } from '../workloads.js';
import type { Contender } from './types.js';

/** Lines written per write() while making the input files. */
const LINES_PER_WRITE = 10_000;

/** Scratch space of a bench run; the orchestrator removes it at the end. */
export const BENCH_TEMP_DIR = join(tmpdir(), 'subfeed-bench');

/** Where the input files for `records` records live; made once, shared by every round. */
function pasteInputDir(records: number): string {
  return join(BENCH_TEMP_DIR, `paste-${records}`);
}

function recordsOf(workload: Workload): number {
  if (workload.kind !== 'canonical') throw new Error('paste-alone runs the canonical workload only');
  return workload.records;
}

async function prepare(workload: Workload): Promise<void> {
  const records = recordsOf(workload);
  const dir = pasteInputDir(records);
  if (existsSync(join(dir, 'text'))) return;
  mkdirSync(dir, { recursive: true });
  const nums = createWriteStream(join(dir, 'nums.tmp'));
  const text = createWriteStream(join(dir, 'text.tmp'));
  let numLines = '';
  let textLines = '';
  let lines = 0;
  for (const record of canonicalRecords(records)) {
    numLines += `${record.i}\n`;
    textLines += `${record.text}\n`;
    if (++lines % LINES_PER_WRITE !== 0) continue;
    // Both waits start now: awaiting one 'drain' after the other could miss the second.
    const drains = [];
    if (!nums.write(numLines)) drains.push(once(nums, 'drain'));
    if (!text.write(textLines)) drains.push(once(text, 'drain'));
    numLines = textLines = '';
    await Promise.all(drains);
  }
  nums.end(numLines);
  text.end(textLines);
  await Promise.all([finished(nums), finished(text)]);
  // Renamed last, so an interrupted run never leaves a half-written file that looks complete.
  renameSync(join(dir, 'nums.tmp'), join(dir, 'nums'));
  renameSync(join(dir, 'text.tmp'), join(dir, 'text'));
}

async function run(workload: Workload): Promise<void> {
  const dir = pasteInputDir(recordsOf(workload));
  const paste = spawn('paste', ['-d', '\t', join(dir, 'nums'), join(dir, 'text')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const [code, signal] = (await once(paste, 'exit')) as [number | null, NodeJS.Signals | null];
  if (code !== 0) throw new Error(`paste exited with ${signal ?? `code ${code}`}`);
}

export const contender: Contender = { prepare, run };
