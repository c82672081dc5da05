/**
 * The jobs a contender is asked to run. A workload is plain data (it travels to the
 * contender's process as JSON); `describeWorkload` turns it into what a feeder needs: the
 * child's argv, one formatter per channel, and the records.
 * @module
 */

/**
 * The canonical job: records `(i, "the quick brown fox <i>")`, `<i>\n` on fd 3 and the
 * text on stdin, each worker running `paste -d '\t' /dev/fd/3 -` with stdout discarded.
 */
export interface CanonicalWorkload {
  kind: 'canonical';
  records: number;
  workers: number;
}

/**
 * A stdin-only byte stream: `chunks` identical records of `chunkBytes` bytes into `cat`
 * children whose stdout is /dev/null. A chunk is made of newline-terminated lines of
 * `lineBytes` bytes, so line-splitting tools (GNU parallel --pipe) can cut it.
 */
export interface StreamWorkload {
  kind: 'stream';
  chunkBytes: number;
  lineBytes: number;
  chunks: number;
  /** Records as Buffers (bytes job) or strings (text lines). */
  chunkType: 'buffer' | 'string';
  workers: number;
}

/** Any job a contender can be given. */
export type Workload = CanonicalWorkload | StreamWorkload;

/** One record of the canonical job. */
export interface CanonicalRecord {
  i: number;
  text: string;
}

/** One channel as a hand-written feeder sees it: fd 0 first, then 3, 4, … */
export interface FeedChannel {
  name: string;
  format: (record: unknown) => string | Buffer;
}

/** What it takes to feed a workload: child argv (with `{channel}` placeholders), channels, records. */
export interface FeedPlan {
  argv: string[];
  channels: FeedChannel[];
  records: () => Iterable<unknown>;
}

const CANONICAL_PREFIX = 'the quick brown fox ';

/** The argv, channels and record source of a workload. */
export function describeWorkload(workload: Workload): FeedPlan {
  if (workload.kind === 'canonical') {
    return {
      argv: ['paste', '-d', '\t', '{nums}', '-'],
      channels: [
        { name: 'stdin', format: (record) => `${(record as CanonicalRecord).text}\n` },
        { name: 'nums', format: (record) => `${(record as CanonicalRecord).i}\n` },
      ],
      records: () => canonicalRecords(workload.records),
    };
  }
  return {
    argv: ['cat'],
    channels: [{ name: 'stdin', format: (chunk) => chunk as string | Buffer }],
    records: () => repeatChunk(makeChunk(workload), workload.chunks),
  };
}

/** Records `(i, "the quick brown fox <i>")` for i in [0, count). */
export function* canonicalRecords(count: number): Generator<CanonicalRecord> {
  for (let i = 0; i < count; i++) yield { i, text: CANONICAL_PREFIX + i };
}

function* repeatChunk<T>(chunk: T, count: number): Generator<T> {
  for (let n = 0; n < count; n++) yield chunk;
}

/** One stream record: `chunkBytes / lineBytes` lines of 'x's, each ending in '\n'. */
export function makeChunk(workload: StreamWorkload): string | Buffer {
  const line = 'x'.repeat(workload.lineBytes - 1) + '\n';
  const text = line.repeat(Math.max(1, Math.floor(workload.chunkBytes / workload.lineBytes)));
  return workload.chunkType === 'buffer' ? Buffer.from(text) : text;
}

/** Records in the workload. */
export function recordCount(workload: Workload): number {
  return workload.kind === 'canonical' ? workload.records : workload.chunks;
}

/** Bytes the workload sends to the children, over all channels. */
export function payloadBytes(workload: Workload): number {
  if (workload.kind === 'stream') return workload.chunkBytes * workload.chunks;
  // Per record: the text line (prefix + digits + '\n') and the number line (digits + '\n').
  let bytes = 0;
  for (let digits = 1, low = 0; low < workload.records; digits++, low = 10 ** (digits - 1)) {
    const high = Math.min(workload.records, 10 ** digits);
    bytes += (high - low) * (CANONICAL_PREFIX.length + 2 * digits + 2);
  }
  return bytes;
}

/** Replaces `{channel}` in argv with `/dev/fd/N`, as subfeed does; for hand-written feeders. */
export function resolveChannelPaths(argv: string[], channels: FeedChannel[]): string[] {
  const paths = new Map(channels.map((channel, index) => [channel.name, `/dev/fd/${channelFd(index)}`]));
  return argv.map((argument) => argument.replace(/\{(\w+)\}/g, (match, name: string) => paths.get(name) ?? match));
}

/** The child fd of the channel at `index`: stdin is 0, the others 3, 4, … */
export function channelFd(index: number): number {
  return index === 0 ? 0 : index + 2;
}
