import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createSwarm } from '../lib/index.js';
import { memorySinks } from './helpers/collect.js';
import { numberedRecords, readOutputs, tempDir, fixture } from './helpers/records.js';
import { checkTeardownAroundEachTest } from './helpers/teardown.js';


describe('channels', () => {
  checkTeardownAroundEachTest();

  test('stdin and two side channels stay aligned through paste reading /dev/fd/N', async () => {
    const dir = tempDir();
    const swarm = createSwarm<{ n: number; text: string }>({
      command: ['paste', '-d', '|', '{nums}', '-', '{squares}'],
      count: 2,
      channels: {
        stdin: (record) => `${record.text}\n`,
        nums: (record) => `${record.n}\n`,
        squares: (record) => `${record.n * record.n}\n`,
      },
      stdout: join(dir, '{id}.out'),
    });
    await pipeline(numberedRecords(1000), swarm);
    const lines = Object.values(readOutputs(dir)).flat();
    expect(lines).toHaveLength(1000);
    for (const line of lines) {
      const [n, text, square] = line.split('|');
      expect(text).toBe(`line ${n}`);
      expect(Number(square)).toBe(Number(n) ** 2);
    }
    expect(swarm.workers.map((worker) => worker.exitCode)).toEqual([0, 0]);
  });

  test('the quoted command string form works like the argv form', async () => {
    const dir = tempDir();
    await pipeline(
      numberedRecords(50),
      createSwarm<{ n: number; text: string }>({
        command: 'paste -d "\t" {nums} -',
        count: 1,
        channels: { stdin: (record) => `${record.text}\n`, nums: (record) => `${record.n}\n` },
        stdout: join(dir, 'out-{id}.out'),
      }),
    );
    expect(readOutputs(dir)['out-0.out'][7]).toBe('7\tline 7');
  });

  test.each([0, 3])('a child that opens /dev/fd/3 half a second late still reads all %i records, then EOF', async (count) => {
    const output = memorySinks();
    await pipeline(
      numberedRecords(count),
      createSwarm<{ n: number }>({
        command: ['sh', '-c', 'sleep 0.5; cat {nums}; echo "eof $?"'],
        count: 1,
        channels: { nums: (record) => `${record.n}\n` },
        stdout: output.sink,
      }),
    );
    const expected = Array.from({ length: count }, (_, n) => `${n}\n`).join('');
    expect(output.text(0)).toBe(`${expected}eof 0\n`);
  });

  test('each side channel gets an env var with its fd, and each child its SUBFEED_WORKER_ID', async () => {
    const output = memorySinks();
    await pipeline(
      Readable.from([]),
      createSwarm({
        command: [fixture('print-env.sh')],
        count: 2,
        channels: { nums: String, stdin: String, words: String },
        stdout: output.sink,
      }),
    );
    expect(output.text(0)).toBe('worker=0 nums=3 words=4\n');
    expect(output.text(1)).toBe('worker=1 nums=3 words=4\n');
  });

  test('without a stdin channel the child reads /dev/null on fd 0', async () => {
    const output = memorySinks();
    await pipeline(
      numberedRecords(5),
      createSwarm<{ n: number }>({
        command: ['sh', '-c', 'wc -c; cat "/dev/fd/$nums" >/dev/null'],
        count: 1,
        channels: { nums: (record) => `${record.n}\n` },
        stdout: output.sink,
      }),
    );
    expect(output.text(0).trim()).toBe('0');
  });

  test('null and undefined mean nothing on that channel; bytes pass through untouched', async () => {
    const output = memorySinks();
    await pipeline(
      numberedRecords(6),
      createSwarm<{ n: number }>({
        command: 'cat',
        count: 1,
        channels: {
          stdin: (record) => (record.n % 3 === 0 ? null : record.n % 3 === 1 ? undefined : Uint8Array.of(0x41 + record.n, 0x0a)),
        },
        stdout: output.sink,
      }),
    );
    expect(output.text(0)).toBe('C\nF\n');
  });

  test('records are the bytes by default: strings and Buffers go to stdin as they are', async () => {
    const output = memorySinks();
    await pipeline(Readable.from(['a\n', Buffer.from('b\n'), 'c\n']), createSwarm({ command: 'cat', count: 1, stdout: output.sink }));
    expect(output.text(0)).toBe('a\nb\nc\n');
  });

  test("stdout 'pipe' makes the swarm readable, with whole lines from every worker", async () => {
    const swarm = createSwarm<{ n: number; text: string }>({
      command: 'cat',
      count: 3,
      channels: { stdin: (record) => `${record.text}\n` },
      stdout: 'pipe',
    });
    let text = '';
    await pipeline(numberedRecords(3000), swarm, async (lines: AsyncIterable<Buffer>) => {
      for await (const chunk of lines) {
        expect(chunk.at(-1)).toBe(0x0a);
        text += chunk.toString();
      }
    });
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(3000);
    expect(new Set(lines).size).toBe(3000);
  });

  test("stdout 'pipe' keeps what a child writes just before it exits", async () => {
    for (let round = 0; round < 10; round++) {
      let text = '';
      await pipeline(
        Readable.from(['a\n', 'b\n']),
        createSwarm({ command: ['sh', '-c', 'cat >/dev/null; echo "done $SUBFEED_WORKER_ID"'], count: 2, stdout: 'pipe' }),
        async (lines: AsyncIterable<Buffer>) => {
          for await (const chunk of lines) text += chunk.toString();
        },
      );
      expect(text.trim().split('\n').sort()).toEqual(['done 0', 'done 1']);
    }
  });
});
