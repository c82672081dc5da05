/**
 * Calling a channel's formatter for one record and checking what it returned.
 * @module
 */
import { FormatError } from '../errors.js';
import type { ChannelPlan } from '../options.js';

/**
 * Formats one record for one channel: a string or bytes, or null for "nothing here".
 * Throws FormatError naming the channel and the record's index in the input.
 */
export function formatRecord<T>(
  channel: ChannelPlan<T>,
  record: T,
  workerId: number,
  recordIndex: number,
): string | Uint8Array | null {
  let value: unknown;
  try {
    value = channel.format(record, workerId);
  } catch (error) {
    throw new FormatError(channel.name, recordIndex, `threw (${(error as Error)?.message ?? error})`, error);
  }
  if (typeof value === 'string' || value instanceof Uint8Array) return value;
  if (value === null || value === undefined) return null;
  const received = typeof value === 'object' ? `an instance of ${value.constructor?.name ?? 'Object'}` : `type ${typeof value}`;
  throw new FormatError(
    channel.name,
    recordIndex,
    `returned ${received}; expected a string, a Uint8Array, null or undefined`,
  );
}
