/**
 * Which worker gets the next record. Each policy answers with a worker that has room now,
 * or null when the record must wait (the swarm then holds the write: backpressure).
 * @module
 */
import { ClosedError } from './errors.js';
import type { RouteSpec } from './options.js';
import type { Worker } from './worker.js';

/** Picks the worker for one record; null means "wait for room". */
export type Router<T> = (record: T) => Worker<T> | null;

/** Builds the router for a route policy over a fixed list of workers. */
export function createRouter<T>(route: RouteSpec<T>, workers: readonly Worker<T>[], firstChannel: string): Router<T> {
  if (route === 'ready') return pickLeastLoaded(workers);
  if (route === 'round-robin') return pickRoundRobin(workers);
  return pickByKey(route.key, workers, firstChannel);
}

/** The ready worker with the fewest bytes waiting; ties rotate so idle workers share the work. */
function pickLeastLoaded<T>(workers: readonly Worker<T>[]): Router<T> {
  let start = 0;
  return () => {
    let best: Worker<T> | null = null;
    let bestLoad = Infinity;
    for (let step = 0, index = start; step < workers.length; step++, index++) {
      if (index === workers.length) index = 0;
      const worker = workers[index];
      if (!worker.hasRoom) continue;
      const load = worker.load;
      if (load < bestLoad) {
        best = worker;
        bestLoad = load;
        if (load === 0) break;
      }
    }
    if (best !== null) start = best.id + 1 === workers.length ? 0 : best.id + 1;
    return best;
  };
}

/** The next worker in id order that has room, skipping those that are starting or full. */
function pickRoundRobin<T>(workers: readonly Worker<T>[]): Router<T> {
  let next = 0;
  return () => {
    for (let step = 0; step < workers.length; step++) {
      const worker = workers[(next + step) % workers.length];
      if (worker.hasRoom) {
        next = (worker.id + 1) % workers.length;
        return worker;
      }
    }
    return null;
  };
}

/** Equal keys always reach the same worker, so it sees every record of its keys. */
function pickByKey<T>(key: (record: T) => string | number, workers: readonly Worker<T>[], firstChannel: string): Router<T> {
  return (record) => {
    const worker = workers[workerIndexForKey(key(record), workers.length)];
    if (worker.state === 'exited') {
      throw new ClosedError(worker.id, firstChannel, 1, 'has exited');
    }
    return worker.hasRoom ? worker : null;
  };
}

/** Maps a key to a worker index: integers directly, anything else by FNV-1a hash. */
export function workerIndexForKey(key: string | number, count: number): number {
  if (typeof key === 'number' && Number.isSafeInteger(key)) return Math.abs(key) % count;
  const text = String(key);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % count;
}
