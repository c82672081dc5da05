/**
 * The original library's README example, ported line for line (docs/porting.md puts the
 * two side by side). Run it with `npm run example` (optionally `npm run example -- DIR` to
 * choose where 0.out and 1.out go; default examples/fibonacci/out/).
 *
 * The child is child.py, exactly the original's, when python3 runs here (set PYTHON to use
 * another interpreter); otherwise child.mjs, the same program in Node.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AnonChannel, Coordinator, FileChannel, TaskTemplate, Writer, WriterSpec } from '../../lib/index.js';

type Batch = [lineNumber: number, fib: bigint];

// Define how to format data for the pipes
class LineNumbersWriter extends Writer<Batch> {
  override filter(batch: Batch) {
    const lineNumber = String(batch[0]) + '\n';
    return Buffer.from(lineNumber);
  }
}

class TextWriter extends Writer<Batch> {
  override filter(batch: Batch) {
    const fibLine = String(batch[1]) + '\n';
    return Buffer.from(fibLine);
  }
}

/** The child to run: python3 child.py when Python runs here, else node child.mjs. */
export function pickChild(python = process.env.PYTHON || 'python3'): string[] {
  const probe = spawnSync(python, ['-c', ''], { stdio: 'ignore' });
  return probe.status === 0 ? [python, 'child.py'] : [process.execPath, 'child.mjs'];
}

/** Runs the example; returns the recovered [lineNumber, fib] pairs after checking them. */
export async function main(outDir = join(__dirname, 'out'), args = pickChild()): Promise<Array<[bigint, bigint]>> {
  mkdirSync(outDir, { recursive: true });
  console.log(`child: ${args[0] === process.execPath ? 'node' : args[0]} ${args[1]}`);

  // 1. Define the Task Template
  // We want to run "python3 child.py" (in this folder)
  // We need stdin (implicit) and a side channel named "line_numbers"
  const template = TaskTemplate({
    args,
    cwd: __dirname,
    stdout: FileChannel(join(outDir, '{id}.out')), // Write output to 0.out, 1.out...
    sidein: { line_numbers: AnonChannel() },
  });

  // 2. Map data types to channels
  const specs = {
    stdin: WriterSpec(TextWriter),
    line_numbers: WriterSpec(LineNumbersWriter),
  };

  // 3. Start the Swarm (2 concurrent processes)
  const expected = new Map<bigint, bigint>();
  {
    await using swarm = new Coordinator(template, { count: 2, writerSpecs: specs });
    // Generate first 100 fibonacci sequence and indices (BigInt: fib(100) > 2^53)
    const fibs = [0n, 1n];
    for (let i = 0; i < 98; i++) {
      fibs.push(fibs[fibs.length - 2] + fibs[fibs.length - 1]);
    }

    for (const [index, fib] of fibs.entries()) {
      const lineNumber = index + 1;
      // The 'feed' method accepts a data object that your Writers understand
      expected.set(BigInt(lineNumber), fib);
      const batch: Batch = [lineNumber, fib];
      await swarm.feed(batch);
    }
  }

  const output = [...readLines(join(outDir, '0.out')), ...readLines(join(outDir, '1.out'))];
  const recovered = output.map((line) => line.split(/\s+/).map((word) => BigInt(word)) as [bigint, bigint]);
  for (const [lineNumber, fib] of recovered) {
    assert.equal(expected.get(lineNumber), fib);
  }
  // Not in the original: also check that no line went missing.
  assert.equal(recovered.length, expected.size);
  console.log(`${recovered.length} lines checked in ${resolve(outDir, '0.out')} and 1.out`);
  return recovered;
}

function readLines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter((line) => line !== '');
}

if (require.main === module) {
  main(process.argv[2]).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
