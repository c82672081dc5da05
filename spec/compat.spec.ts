import { join } from 'node:path';
import {
  AnonChannel,
  Coordinator,
  FileChannel,
  SubfeedError,
  TaskTemplate,
  Writer,
  WriterSpec,
  type TaskTemplateOptions,
  type WorkerInfo,
} from '../lib/index.js';
import { readOutputs, tempDir, fixture } from './helpers/records.js';
import { checkTeardownAroundEachTest, liveChildPids } from './helpers/teardown.js';
import { rejectionOf } from './helpers/failures.js';


/** Writes the batch as a line. */
class LineWriter extends Writer<unknown> {
  override filter(batch: unknown) {
    return `${batch}\n`;
  }
}

/** Numbers this instance's batches from 1: shows that each worker has its own instance. */
class CountingWriter extends Writer<unknown> {
  #count = 0;
  override filter() {
    return `${++this.#count}\n`;
  }
}

/** Prefixes each batch with its constructor arguments. */
class PrefixWriter extends Writer<string> {
  constructor(
    private readonly prefix: string,
    private readonly times: number,
  ) {
    super();
  }
  override filter(batch: string) {
    return `${this.prefix.repeat(this.times)}${batch}\n`;
  }
}

/** Returns a number: not text or bytes. */
class NumberWriter extends Writer<number> {
  override filter(batch: number) {
    return batch as unknown as string;
  }
}

class ThrowingConstructorWriter extends Writer<unknown> {
  constructor() {
    super();
    throw new Error('no model file');
  }
  override filter() {
    return '';
  }
}

/** Resolves once every worker's child has a pid. */
async function untilSpawned(workers: readonly WorkerInfo[]): Promise<void> {
  while (!workers.every((worker) => worker.pid)) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** The error a function threw (failing the test if it did not). */
function thrownBy(run: () => unknown): SubfeedError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SubfeedError);
    return error as SubfeedError;
  }
  throw new Error('expected a throw');
}

// Every test, passing or failing, must leave no child alive and no fd open.
checkTeardownAroundEachTest();

describe('compat: the original API over createSwarm', () => {
  test('each worker gets its own Writer instance: every worker counts from 1', async () => {
    const dir = tempDir();
    const template = TaskTemplate({ args: 'cat', stdout: FileChannel(join(dir, '{id}.out')) });
    const route = { key: (n: number) => n % 3 };
    const swarm = new Coordinator(template, { count: 3, route, writerSpecs: { stdin: WriterSpec(CountingWriter) } });
    for (let n = 0; n < 30; n++) await swarm.feed(n);
    await swarm.close();
    const expected = Array.from({ length: 10 }, (_, i) => String(i + 1));
    expect(readOutputs(dir)).toEqual({ '0.out': expected, '1.out': expected, '2.out': expected });
  });

  test('constructor arguments reach every worker’s Writer', async () => {
    const dir = tempDir();
    const template = TaskTemplate({ args: ['cat'], stdout: FileChannel(join(dir, '{id}.out')) });
    const swarm = new Coordinator(template, { count: 2, writerSpecs: { stdin: WriterSpec(PrefixWriter, '>', 2) } });
    for (const word of ['a', 'b', 'c', 'd']) await swarm.feed(word);
    await swarm.close();
    expect(Object.values(readOutputs(dir)).flat().sort()).toEqual(['>>a', '>>b', '>>c', '>>d']);
  });

  test('side channels follow stdin in sidein order, each named by an env var; {name} in args is its path', async () => {
    const dir = tempDir();
    const template = TaskTemplate({
      args: `sh ${fixture('side-channel-fds.sh')}`,
      stdout: FileChannel(join(dir, '{id}.out')),
      sidein: { first: AnonChannel(), second: AnonChannel() },
    });
    const specs = {
      second: WriterSpec(PrefixWriter, 'second:', 1),
      stdin: WriterSpec(LineWriter),
      first: WriterSpec(PrefixWriter, 'first:', 1),
    };
    await Coordinator.run(template, { count: 1, writerSpecs: specs }, async (swarm) => {
      await swarm.feed('x');
      await swarm.feed('y');
    });
    expect(readOutputs(dir)['0.out']).toEqual(['first=3 second=4', 'x', 'y', 'first:x', 'first:y', 'second:x', 'second:y']);
  });

  test('without a stdin WriterSpec the child reads /dev/null on stdin', async () => {
    const dir = tempDir();
    const template = TaskTemplate({ args: 'cat - {nums}', stdout: FileChannel(join(dir, '{id}.out')), sidein: { nums: AnonChannel() } });
    await Coordinator.run(template, { count: 1, writerSpecs: { nums: WriterSpec(LineWriter) } }, async (swarm) => {
      for (let n = 1; n <= 3; n++) await swarm.feed(n);
    });
    expect(readOutputs(dir)['0.out']).toEqual(['1', '2', '3']);
  });

  test('a null batch reaches the Writer as null, and a route key sees the batch', async () => {
    const dir = tempDir();
    const template = TaskTemplate({ args: 'cat', stdout: FileChannel(join(dir, '{id}.out')) });
    const key = (batch: string | null) => (batch === null ? 1 : 0);
    await Coordinator.run(template, { count: 2, route: { key }, writerSpecs: { stdin: WriterSpec(LineWriter) } }, async (swarm) => {
      await swarm.feed('a');
      await swarm.feed(null);
      await swarm.feed('b');
    });
    expect(readOutputs(dir)).toEqual({ '0.out': ['a', 'b'], '1.out': ['null'] });
  });

  test('feed() without await: 100k batches arrive complete and in order per worker, in bounded memory', async () => {
    const dir = tempDir();
    const total = 100_000;
    const template = TaskTemplate({ args: ['node', fixture('slow-cat.mjs')], stdout: FileChannel(join(dir, '{id}.out')) });
    const swarm = new Coordinator<number>(template, { count: 2, highWaterMark: 16 * 1024, writerSpecs: { stdin: WriterSpec(LineWriter) } });
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 5);
    const feeds: Array<Promise<void>> = [];
    for (let n = 0; n < total; n++) {
      const feeding = swarm.feed(n);
      if (n % 10_000 === 0) feeds.push(feeding);
    }
    await swarm.close();
    clearInterval(sampler);
    await Promise.all(feeds); // each resolved once the swarm took its batch
    const outputs = Object.values(readOutputs(dir)).map((lines) => lines.map(Number));
    for (const lines of outputs) {
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.every((n, i) => i === 0 || n > lines[i - 1])).toBe(true);
    }
    expect(outputs.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, n) => n));
    // The 100k numbers waiting in the feeder cost a few MB (measured: 6-9 MB of heap growth);
    // a promise and its resolvers per waiting record cost about 60 MB.
    expect(heapPeak - heapBefore).toBeLessThan(32 * 1024 * 1024);
  });

  test('close() rejects with ERR_SUBFEED_EXIT, its stderr tail and exit code, when a child exits non-zero', async () => {
    const dir = tempDir();
    const template = TaskTemplate({
      args: ['node', fixture('exit-after.mjs'), '5', '3'],
      stdout: 'ignore',
      stderr: FileChannel(join(dir, '{id}.err')),
    });
    const swarm = new Coordinator<number>(template, { count: 1, writerSpecs: { stdin: WriterSpec(LineWriter) } });
    for (let n = 0; n < 1000; n++) void swarm.feed(n); // not awaited: no unhandled rejection (jest fails a test on one)
    const error = await rejectionOf(swarm.close());
    expect(error).toMatchObject({ code: 'ERR_SUBFEED_EXIT', workerId: 0, exitCode: 3 });
    expect(error).toHaveProperty('stderrTail', 'giving up after 5 records (last: 4)\n');
    expect(await rejectionOf(swarm.feed(1000))).toBe(error);
  });

  test('an awaited feed() rejects with the failure once a child died', async () => {
    const template = TaskTemplate({ args: ['node', fixture('exit-after.mjs'), '1', '7'], stderr: 'ignore' });
    const swarm = new Coordinator<number>(template, { count: 1, writerSpecs: { stdin: WriterSpec(LineWriter) } });
    const failure = await rejectionOf(
      (async () => {
        for (let n = 0; ; n++) await swarm.feed(n);
      })(),
    );
    expect(failure).toMatchObject({ code: 'ERR_SUBFEED_EXIT', exitCode: 7 });
    expect(await rejectionOf(swarm.close())).toBe(failure);
  });

  test('close() rejects with ERR_SUBFEED_SPAWN for a program that does not exist', async () => {
    const template = TaskTemplate({ args: 'no-such-program-for-subfeed --help' });
    const swarm = new Coordinator(template, { count: 2, writerSpecs: { stdin: WriterSpec(LineWriter) } });
    void swarm.feed('lost');
    const error = await rejectionOf(swarm.close());
    expect(error).toMatchObject({ code: 'ERR_SUBFEED_SPAWN', command: ['no-such-program-for-subfeed', '--help'] });
    expect(error.cause).toMatchObject({ code: 'ENOENT' });
  });

  test.each([
    ['a filter that returns a number', WriterSpec(NumberWriter), 'returned type number'],
    ['a Writer constructor that throws', WriterSpec(ThrowingConstructorWriter), 'threw (no model file)'],
  ])('%s fails with ERR_SUBFEED_FORMAT naming the channel', async (_case, spec, problem) => {
    const template = TaskTemplate({ args: 'cat {nums}', stdout: 'ignore', sidein: { nums: AnonChannel() } });
    const swarm = new Coordinator(template, { count: 1, writerSpecs: { nums: spec as WriterSpec<number> } });
    const error = await rejectionOf(swarm.feed(1).then(() => swarm.close()));
    expect(error).toMatchObject({ code: 'ERR_SUBFEED_FORMAT', channel: 'nums', recordIndex: 0 });
    expect(error.message).toContain(problem);
    await rejectionOf(swarm.close());
  });

  test('feed() after close() rejects with ERR_SUBFEED_CLOSED and sends nothing', async () => {
    const dir = tempDir();
    const swarm = new Coordinator(TaskTemplate({ args: 'cat', stdout: FileChannel(join(dir, '{id}.out')) }), {
      count: 1,
      writerSpecs: { stdin: WriterSpec(LineWriter) },
    });
    await swarm.feed('kept');
    const closing = swarm.close();
    const error = await rejectionOf(swarm.feed('dropped'));
    expect(error).toMatchObject({ code: 'ERR_SUBFEED_CLOSED', workerId: -1, channel: '', pendingRecords: 1 });
    expect(error.message).toContain('feed() was called after close()');
    await closing;
    expect(swarm.close()).toBe(closing);
    expect(readOutputs(dir)['0.out']).toEqual(['kept']);
  });

  test('an aborted signal stops the children; close() rejects with ERR_SUBFEED_ABORTED', async () => {
    const controller = new AbortController();
    const swarm = new Coordinator(TaskTemplate({ args: 'cat', stdout: 'ignore' }), {
      count: 2,
      signal: controller.signal,
      killTimeout: 100,
      writerSpecs: { stdin: WriterSpec(LineWriter) },
    });
    await swarm.feed('a');
    controller.abort();
    expect((await rejectionOf(swarm.close())).code).toBe('ERR_SUBFEED_ABORTED');
    expect(swarm.workers.map((worker) => worker.state)).toEqual(['exited', 'exited']);
  });
});

describe('compat: await using and Coordinator.run', () => {
  const catTemplate = (dir: string) => TaskTemplate({ args: 'cat', stdout: FileChannel(join(dir, '{id}.out')) });

  test('leaving an await using block closes the swarm: everything is written and every child reaped', async () => {
    const dir = tempDir();
    let workers: readonly WorkerInfo[];
    {
      await using swarm = new Coordinator<number>(catTemplate(dir), { count: 2, writerSpecs: { stdin: WriterSpec(LineWriter) } });
      for (let n = 0; n < 1000; n++) void swarm.feed(n);
      workers = swarm.workers;
    }
    expect(workers.map((worker) => [worker.state, worker.exitCode])).toEqual([['exited', 0], ['exited', 0]]);
    expect(liveChildPids()).toEqual([]);
    expect(Object.values(readOutputs(dir)).flat().map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, n) => n));
  });

  test('an await using block whose body throws still closes gracefully, and its error comes out as it is', async () => {
    const dir = tempDir();
    const bodyError = new Error('the body failed');
    const caught = await (async () => {
      await using swarm = new Coordinator<number>(catTemplate(dir), { count: 1, writerSpecs: { stdin: WriterSpec(LineWriter) } });
      for (let n = 0; n < 100; n++) void swarm.feed(n);
      throw bodyError;
    })().catch((error: unknown) => error);
    expect(caught).toBe(bodyError);
    expect(readOutputs(dir)['0.out']).toHaveLength(100);
  });

  test('an await using block throws the failure itself when no awaited feed saw it', async () => {
    const template = TaskTemplate({ args: ['node', fixture('exit-after.mjs'), '2', '5'], stderr: 'ignore' });
    const failure = await rejectionOf(
      (async () => {
        await using swarm = new Coordinator<number>(template, { count: 1, writerSpecs: { stdin: WriterSpec(LineWriter) } });
        for (let n = 0; n < 100; n++) void swarm.feed(n);
      })(),
    );
    expect(failure).toMatchObject({ code: 'ERR_SUBFEED_EXIT', exitCode: 5 });
  });

  test('an await using block throws an awaited feed’s failure once, not wrapped in a SuppressedError', async () => {
    const template = TaskTemplate({ args: ['node', fixture('exit-after.mjs'), '1', '6'], stderr: 'ignore' });
    const failure = await rejectionOf(
      (async () => {
        await using swarm = new Coordinator<number>(template, { count: 1, writerSpecs: { stdin: WriterSpec(LineWriter) } });
        for (let n = 0; ; n++) await swarm.feed(n);
      })(),
    );
    expect(failure).toMatchObject({ code: 'ERR_SUBFEED_EXIT', exitCode: 6 });
  });

  test('Coordinator.run closes the swarm after the body and returns the body’s result', async () => {
    const dir = tempDir();
    const result = await Coordinator.run(catTemplate(dir), { count: 2, writerSpecs: { stdin: WriterSpec(LineWriter) } }, async (swarm) => {
      for (let n = 0; n < 10; n++) await swarm.feed(n);
      return 'fed';
    });
    expect(result).toBe('fed');
    expect(Object.values(readOutputs(dir)).flat()).toHaveLength(10);
  });

  test('Coordinator.run stops the children when the body throws, and rethrows the body’s error', async () => {
    const dir = tempDir();
    const bodyError = new Error('the body failed');
    let workers: readonly WorkerInfo[] = [];
    const options = { count: 2, killTimeout: 200, writerSpecs: { stdin: WriterSpec(LineWriter) } };
    const caught = await Coordinator.run(catTemplate(dir), options, async (swarm) => {
      await swarm.feed(1);
      workers = swarm.workers;
      await untilSpawned(workers);
      throw bodyError;
    }).catch((error: unknown) => error);
    expect(caught).toBe(bodyError);
    expect(workers.map((worker) => [worker.state, worker.signal])).toEqual([['exited', 'SIGTERM'], ['exited', 'SIGTERM']]);
  });

  test('Coordinator.run rejects with the swarm’s failure when a child fails', async () => {
    const template = TaskTemplate({ args: ['node', fixture('exit-after.mjs'), '3', '9'], stderr: 'ignore' });
    const error = await rejectionOf(
      Coordinator.run(template, { count: 1, writerSpecs: { stdin: WriterSpec(LineWriter) } }, async (swarm) => {
        for (let n = 0; n < 50; n++) void swarm.feed(n);
      }),
    );
    expect(error).toMatchObject({ code: 'ERR_SUBFEED_EXIT', exitCode: 9 });
  });
});

describe('compat: options are checked before any child starts', () => {
  const lines = WriterSpec(LineWriter);
  const template = TaskTemplate({ args: 'cat', sidein: { nums: AnonChannel() } });

  test.each<[string, () => unknown, string]>([
    [
      'a WriterSpec for a channel the template does not declare',
      () => new Coordinator(template, { writerSpecs: { nums: lines, foo: lines } }),
      'writerSpecs.foo',
    ],
    ['a sidein channel without a WriterSpec', () => new Coordinator(template, { writerSpecs: { stdin: lines } }), 'sidein.nums'],
    [
      'a writerSpecs entry that is not a WriterSpec',
      () => new Coordinator(template, { writerSpecs: { nums: LineWriter as never } }),
      'writerSpecs.nums',
    ],
    ['writerSpecs that is not an object', () => new Coordinator(template, { writerSpecs: 'stdin' as never }), 'writerSpecs'],
    ['no channel at all', () => new Coordinator(TaskTemplate({ args: 'cat' }), { writerSpecs: {} }), 'writerSpecs'],
    [
      'an option that is not a Coordinator option',
      () => new Coordinator(template, { writerSpecs: { nums: lines }, writer_specs: {} } as never),
      'writer_specs',
    ],
    ['a template not made by TaskTemplate', () => new Coordinator({ args: 'cat' } as never, { writerSpecs: { stdin: lines } }), 'template'],
    ['a bad count, checked by createSwarm', () => new Coordinator(template, { count: 0, writerSpecs: { nums: lines } }), 'count'],
    [
      'a bad cwd, checked by createSwarm',
      () => new Coordinator(TaskTemplate({ args: 'cat', cwd: '' }), { writerSpecs: { stdin: lines } }),
      'cwd',
    ],
  ])('%s is ERR_SUBFEED_OPTIONS naming it', (_case, build, option) => {
    const error = thrownBy(build);
    expect(error).toMatchObject({ code: 'ERR_SUBFEED_OPTIONS', option });
    expect(error.message).toContain(`"options.${option}"`);
    expect(liveChildPids()).toEqual([]);
  });

  test.each<[string, TaskTemplateOptions, string]>([
    ['an empty args string', { args: '' }, 'args'],
    ['args with an unterminated quote', { args: "awk '{print}" }, 'args'],
    ['args with a non-string word', { args: ['cat', 1 as never] }, 'args[1]'],
    ['a sidein channel that is not AnonChannel()', { args: 'cat', sidein: { nums: FileChannel('x') as never } }, 'sidein.nums'],
    ['stdin declared as a side channel', { args: 'cat', sidein: { stdin: AnonChannel() } }, 'sidein.stdin'],
    ['a sidein name that cannot be an env var', { args: 'cat', sidein: { 'line-numbers': AnonChannel() } }, 'sidein.line-numbers'],
    ['a reserved sidein name', { args: 'cat', sidein: { id: AnonChannel() } }, 'sidein.id'],
    ["stdout: 'pipe'", { args: 'cat', stdout: 'pipe' }, 'stdout'],
    ['an empty FileChannel path', { args: 'cat', stderr: FileChannel('') }, 'stderr'],
    ['an unknown TaskTemplate option', { args: 'cat', stdin: AnonChannel() } as never, 'stdin'],
  ])('TaskTemplate with %s is ERR_SUBFEED_OPTIONS naming it', (_case, options, option) => {
    expect(thrownBy(() => TaskTemplate(options))).toMatchObject({ code: 'ERR_SUBFEED_OPTIONS', option });
  });

  test('a FileChannel named like a sink keyword stays a file', () => {
    expect(TaskTemplate({ args: 'cat', stdout: FileChannel('ignore'), stderr: FileChannel('inherit') })).toMatchObject({
      stdout: './ignore',
      stderr: './inherit',
    });
  });
});
