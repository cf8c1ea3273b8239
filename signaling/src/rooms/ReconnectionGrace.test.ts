import { describe, expect, it } from 'vitest';
import { isDroppedLink, ReconnectionGrace } from './ReconnectionGrace.js';

describe('the grace of a dropped socket', () => {
  it('is given to a failed link, not to a socket the client or the server closed', () => {
    for (const reason of ['transport close', 'transport error', 'ping timeout', 'forced close']) {
      expect(isDroppedLink(reason)).toBe(true);
    }
    for (const reason of [
      'client namespace disconnect',
      'server namespace disconnect',
      'server shutting down',
    ]) {
      expect(isDroppedLink(reason)).toBe(false);
    }
  });

  it('expires when the socket does not come back, and not when it does', async () => {
    const grace = new ReconnectionGrace(50);
    const expired: string[] = [];
    grace.hold('gone', () => expired.push('gone'));
    grace.hold('back', () => expired.push('back'));
    grace.release('back');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(expired).toEqual(['gone']);
    grace.hold('closed', () => expired.push('closed'));
    grace.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(expired).toEqual(['gone']);
  });
});
