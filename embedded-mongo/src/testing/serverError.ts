import { MongoServerError } from 'mongodb';
import { expect } from 'vitest';

/** The server error `promise` rejects with; fails the test if it resolves or rejects with anything else. */
export async function serverError(promise: Promise<unknown>): Promise<MongoServerError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MongoServerError);
  return error as MongoServerError;
}
