/** Sinks that keep what each worker wrote, for asserting on output. */
import { Writable } from 'node:stream';

/** A stdout/stderr sink function that keeps each worker's output in memory. */
export function memorySinks(): { sink: (workerId: number) => Writable; text: (workerId: number) => string; all: () => string } {
  const chunks = new Map<number, Buffer[]>();
  return {
    sink: (workerId) => {
      chunks.set(workerId, []);
      return new Writable({
        write(chunk: Buffer, _encoding, callback) {
          chunks.get(workerId)!.push(chunk);
          callback();
        },
      });
    },
    text: (workerId) => Buffer.concat(chunks.get(workerId) ?? []).toString(),
    all: () => [...chunks.keys()].sort().map((id) => Buffer.concat(chunks.get(id)!).toString()).join(''),
  };
}

/** A sink that only counts bytes, for floods. */
export function countingSink(): { sink: () => Writable; bytes: () => number } {
  let bytes = 0;
  return {
    sink: () =>
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          bytes += chunk.length;
          callback();
        },
      }),
    bytes: () => bytes,
  };
}

/** Reads a readable (the swarm's piped stdout) to the end as text. */
export async function readAll(readable: AsyncIterable<Buffer | string>): Promise<string> {
  let text = '';
  for await (const chunk of readable) text += chunk.toString();
  return text;
}
