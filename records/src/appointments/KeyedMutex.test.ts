import { describe, expect, it } from 'vitest';
import { KeyedMutex } from './KeyedMutex.js';

describe('KeyedMutex', () => {
  it('runs tasks of one key one after another, and of different keys together', async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    const task = (name: string, ms: number) => async () => {
      events.push(`${name}+`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      events.push(`${name}-`);
      return name;
    };
    const results = await Promise.all([
      mutex.run('a', task('a1', 30)),
      mutex.run('a', task('a2', 1)),
      mutex.run('b', task('b1', 5)),
    ]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(events.indexOf('a1-')).toBeLessThan(events.indexOf('a2+'));
    expect(events.indexOf('b1+')).toBeLessThan(events.indexOf('a1-'));
  });

  it('goes on after a task fails', async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.run('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await mutex.run('k', async () => 'next')).toBe('next');
  });
});
