import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { createSwarm } from '../lib/index.js';
import { numberedRecords, readOutputs, tempDir } from './helpers/records.js';
import { countOpenFds, liveChildPids, settledFdCount } from './helpers/teardown.js';

describe('channels', () => {
  test('stdin and two side channels stay aligned through paste reading /dev/fd/N', async () => {
    const dir = tempDir();
    const fdsBefore = countOpenFds();
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
    expect(liveChildPids()).toEqual([]);
    expect(await settledFdCount(fdsBefore)).toBe(fdsBefore);
  });
});
