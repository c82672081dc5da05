/**
 * The error for a channel formatter that throws or returns something that is not text or
 * bytes. The formatting loop itself lives in batch.ts, on the hot path.
 * @module
 */
import { FormatError } from '../errors.js';

/**
 * The FormatError for a formatter of `channel` that threw `problem` (`threw` true) or
 * returned `problem`, a value that is neither text, bytes, null nor undefined.
 */
export function formatFailure(channel: string, recordIndex: number, problem: unknown, threw: boolean): FormatError {
  if (threw) return new FormatError(channel, recordIndex, `threw (${(problem as Error)?.message ?? problem})`, problem);
  const received =
    typeof problem === 'object' ? `an instance of ${(problem as object).constructor?.name ?? 'Object'}` : `type ${typeof problem}`;
  return new FormatError(channel, recordIndex, `returned ${received}; expected a string, a Uint8Array, null or undefined`);
}
