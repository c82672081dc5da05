/** Record sources and output readers shared by the specs. */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

/** A fresh temporary folder for one test's output files. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'subfeed-spec-'));
}

/** Readable of records `{ n, text }` for n in [0, count). */
export function numberedRecords(count: number): Readable {
  function* generate() {
    for (let n = 0; n < count; n++) yield { n, text: `line ${n}` };
  }
  return Readable.from(generate());
}

/** The lines of every `*.out` file in `dir`, keyed by file name. */
export function readOutputs(dir: string): Record<string, string[]> {
  const outputs: Record<string, string[]> = {};
  for (const name of readdirSync(dir).filter((file) => file.endsWith('.out')).sort()) {
    const text = readFileSync(join(dir, name), 'utf8');
    outputs[name] = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  }
  return outputs;
}

/** Path of a child program under spec/fixtures. */
export function fixture(name: string): string {
  return join(__dirname, '..', 'fixtures', name);
}
