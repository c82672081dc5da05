// A child that "loads a model" before it reads anything: it sleeps for its load time (the
// argument at its worker id: `node model.mjs 1000 100 100` makes worker 0 take 1 s), prints
// READY, then answers each stdin line with "<worker id>\t<line>\t<prediction>".
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

const workerId = Number(process.env.SUBFEED_WORKER_ID);
const loadMs = Number(process.argv[2 + workerId] ?? 1000);

await sleep(loadMs); // "loading the model"
// process.stdout.write hands the line to the pipe at once; a Python child needs
// print("READY", flush=True), a C child fflush(stdout), or the parent waits forever.
process.stdout.write('READY\n');

for await (const line of createInterface({ input: process.stdin })) {
  const prediction = line.length % 2 === 0 ? 'even' : 'odd';
  process.stdout.write(`${workerId}\t${line}\t${prediction}\n`);
}
