import type { SfuControlClient } from '@telemed/shared';
import { eventTimeoutMs } from './signalingClient.js';

/**
 * Asks until the answer is `enough`, or the time is up; the last answer either way, for the test to judge. For
 * what is written just after the answer that caused it (audit events, the SFU closing what signaling asked).
 */
export async function askUntil<T>(
  ask: () => Promise<T>,
  enough: (answer: T) => boolean,
  timeoutMs = eventTimeoutMs,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await ask();
    if (enough(answer) || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Asks until `check` holds, and fails if it does not in time. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = eventTimeoutMs): Promise<void> {
  if (!(await askUntil(check, (holds) => holds, timeoutMs))) throw new Error('condition not met in time');
}

/** Waits until the SFU has no router for `roomId` any more (it closes one just after signaling asks). */
export function routerClosed(sfu: SfuControlClient, roomId: string): Promise<void> {
  return eventually(() =>
    sfu('getRoomStats', { roomId }).then(
      () => false,
      (error: { code?: string }) => error.code === 'ROOM_NOT_FOUND',
    ),
  );
}
