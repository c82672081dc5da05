// child.py in Node: reads fibonacci numbers from stdin and line numbers from a side channel.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

// Read from stdin (fibonacci sequence)
const fibonaccis = createInterface({ input: process.stdin, crlfDelay: Infinity });

// Read from Side Channel (File Descriptor passed via env var)
const fd = Number(process.env.line_numbers);
const sideChannel = createReadStream(null, { fd });
const lineNumbers = createInterface({ input: sideChannel, crlfDelay: Infinity });

// zip(line_numbers, fibonaccis): stops at the shorter of the two, like Python's zip.
const lineNumberLines = lineNumbers[Symbol.asyncIterator]();
const fibLines = fibonaccis[Symbol.asyncIterator]();
for (;;) {
  const [lineNumber, fib] = await Promise.all([lineNumberLines.next(), fibLines.next()]);
  if (lineNumber.done || fib.done) break;
  process.stdout.write(`${lineNumber.value.trim()}\t${fib.value.trim()}\n`);
}
sideChannel.destroy();
process.stdin.destroy();
