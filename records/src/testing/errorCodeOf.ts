import { AppError } from '@telemed/shared';

/** 'resolved', or the AppError code a service call rejected with (any other error as its text). */
export function errorCodeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof AppError ? error.code : String(error)),
  );
}
