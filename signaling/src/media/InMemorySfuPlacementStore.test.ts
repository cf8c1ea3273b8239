import { describe, expect, it } from 'vitest';
import { InMemorySfuPlacementStore } from './InMemorySfuPlacementStore.js';

describe('InMemorySfuPlacementStore', () => {
  it('keeps a room on the node that claimed it first, until the room is released', async () => {
    const store = new InMemorySfuPlacementStore();
    expect(await store.get('room')).toBeUndefined();
    expect(await store.claim('room', 'http://sfu-a')).toBe('http://sfu-a');
    // A second signaling node that chose another node joins the first one's choice.
    expect(await store.claim('room', 'http://sfu-b')).toBe('http://sfu-a');
    expect(await store.get('room')).toBe('http://sfu-a');
    await store.release('room');
    expect(await store.claim('room', 'http://sfu-b')).toBe('http://sfu-b');
  });
});
