import { createSwarm, SubfeedError, type SwarmOptions } from '../lib/index.js';
import { liveChildPids } from './helpers/teardown.js';

describe('option validation', () => {
  test.each<[string, Partial<SwarmOptions<unknown>> & Record<string, unknown>, string]>([
    ['count', { count: 0 }, 'count'],
    ['count', { count: 1.5 }, 'count'],
    ['command', { command: '' }, 'command'],
    ['command', { command: [] as string[] }, 'command'],
    ['command', { command: 'paste "unterminated' }, 'command'],
    ['command', { command: ['cat', 3 as unknown as string] }, 'command[1]'],
    ['channels', { channels: {} }, 'channels'],
    ['channels', { channels: { 'bad-name': String } }, 'channels.bad-name'],
    ['channels', { channels: { id: String } }, 'channels.id'],
    ['channels', { channels: { SUBFEED_WORKER_ID: String } }, 'channels.SUBFEED_WORKER_ID'],
    ['channels', { channels: { nums: 'not a function' as never } }, 'channels.nums'],
    ['stdout', { stdout: 42 as never }, 'stdout'],
    ['stderr', { stderr: 'pipe' }, 'stderr'],
    ['route', { route: 'random' as never }, 'route'],
    ['env', { env: { A: 1 as never } }, 'env.A'],
    ['cwd', { cwd: '' }, 'cwd'],
    ['highWaterMark', { highWaterMark: 0 }, 'highWaterMark'],
    ['signal', { signal: {} as never }, 'signal'],
    ['killTimeout', { killTimeout: -1 }, 'killTimeout'],
    ['stallTimeout', { stallTimeout: Number.NaN }, 'stallTimeout'],
    ['ready', { ready: { stdoutLine: 3 } as never }, 'ready'],
    ['unknown', { workers: 3 }, 'workers'],
  ])('a bad %s is ERR_SUBFEED_OPTIONS naming it, before any child starts', (_name, bad, option) => {
    let thrown: unknown;
    try {
      createSwarm({ command: 'cat', ...bad } as SwarmOptions<unknown>);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SubfeedError);
    expect(thrown).toMatchObject({ code: 'ERR_SUBFEED_OPTIONS', option });
    expect((thrown as Error).message).toContain(`"options.${option}"`);
    expect(liveChildPids()).toEqual([]);
  });

  test('the message says what was expected and what was received', () => {
    expect(() => createSwarm({ command: 'cat', count: 0 })).toThrow(
      'The "options.count" property must be an integer >= 1. Received type number (0)',
    );
  });
});
