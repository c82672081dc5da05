/** Getting at the error an operation failed with, failing the test if it did not fail. */
import { SubfeedError } from '../../lib/index.js';

/** The SubfeedError a promise rejected with (the test fails if it resolved or rejected otherwise). */
export async function rejectionOf(promise: Promise<unknown>): Promise<SubfeedError> {
  const error = await promise.then(
    () => new Error('expected a rejection'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SubfeedError);
  return error as SubfeedError;
}
