import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fixture } from './helpers/records.js';
import { createSwarm } from '../lib/index.js';
import { countingSink, memorySinks } from './helpers/collect.js';
import { checkTeardownAroundEachTest } from './helpers/teardown.js';

const MiB = 1024 * 1024;

describe('backpressure and draining', () => {
  checkTeardownAroundEachTest();

  test('a child flooding stdout and stderr (2 × 200 MiB) while it reads never blocks', async () => {
    const stdout = countingSink();
    const stderr = countingSink();
    const records = Array.from({ length: 20_000 }, (_, n) => `record ${n}\n`);
    const stdinBytes = records.join('').length;
    await pipeline(
      Readable.from(records),
      createSwarm<string>({ command: ['node', fixture('flood.mjs'), '200'], count: 1, stdout: stdout.sink, stderr: stderr.sink }),
    );
    expect(stderr.bytes()).toBe(200 * MiB);
    expect(stdout.bytes()).toBe(200 * MiB + `\nread ${stdinBytes}\n`.length);
  });

  test('write() returns false while no worker has room, and true again after drain', async () => {
    const swarm = createSwarm<string>({ command: ['sleep', '1'], count: 1, highWaterMark: 1024 });
    await new Promise((resolve) => swarm.once('worker-ready', resolve));
    const line = `${'x'.repeat(99)}\n`;
    let accepted = 0;
    while (swarm.write(line)) accepted++;
    // The pipe (64 KiB) plus the parent's buffers fill up; nothing grows past them.
    expect(accepted).toBeLessThan(2_000);
    expect(swarm.writableNeedDrain).toBe(true);
    swarm.destroy();
    await new Promise((resolve) => swarm.once('close', resolve));
  });

  test('memory stays bounded while 400 MiB flow to slow children', async () => {
    const block = 'y'.repeat(64 * 1024 - 1) + '\n';
    const blocks = (400 * MiB) / block.length;
    function* generate() {
      for (let i = 0; i < blocks; i++) yield block;
    }
    const output = memorySinks();
    let peakRss = 0;
    const baseRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    await pipeline(
      Readable.from(generate()),
      createSwarm<string>({ command: ['node', fixture('slow-reader.mjs'), '2'], count: 2, stdout: output.sink }),
    );
    clearInterval(sampler);
    const readBytes = Number(output.text(0)) + Number(output.text(1));
    expect(readBytes).toBe(400 * MiB);
    // Bounded by workers × channels × highWaterMark plus a batch, not by the 400 MiB input.
    expect(peakRss - baseRss).toBeLessThan(100 * MiB);
  });
});
