/**
 * The contenders by name. Each is loaded on demand, so a baseline's process never loads
 * subfeed (or anything else it does not use) and its peak RSS is its own.
 * @module
 */
import type { Contender } from './types.js';

export type { Contender, ContenderSettings } from './types.js';

const loaders = {
  subfeed: () => import('./subfeed.js'),
  'batched-feeder': () => import('./batched-feeder.js'),
  'writable-feeder': () => import('./writable-feeder.js'),
  'unbatched-feeder': () => import('./unbatched-feeder.js'),
  'source-only': () => import('./source-only.js'),
  'paste-alone': () => import('./paste-alone.js'),
  'shell-pipe': () => import('./shell-pipe.js'),
  'gnu-parallel': () => import('./gnu-parallel.js'),
} satisfies Record<string, () => Promise<{ contender: Contender }>>;

/** Names of every contender module. */
export type ContenderName = keyof typeof loaders;

/**
 * Contenders whose data path has no Node in it: their process only launches the tool (and
 * writes paste's input files, untimed), so its RSS says nothing; their children's RSS does.
 */
export const NODE_FREE_CONTENDERS: ReadonlySet<ContenderName> = new Set(['paste-alone', 'shell-pipe']);

/** Loads one contender module. */
export async function loadContender(name: ContenderName): Promise<Contender> {
  const load = loaders[name];
  if (!load) throw new Error(`unknown contender "${name}"`);
  return (await load()).contender;
}
