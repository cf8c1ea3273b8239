import { describe, expect, it } from 'vitest';
import { messages } from './messages.js';

describe('messages', () => {
  it('has the same keys in Arabic and English', () => {
    expect(Object.keys(messages.en).sort()).toEqual(Object.keys(messages.ar).sort());
  });

  it('has non-empty strings, written in Arabic script for Arabic (but the switch to English)', () => {
    for (const [key, text] of Object.entries(messages.ar)) {
      expect(text.trim(), key).not.toBe('');
      if (key !== 'language.switchTo') expect(text, key).toMatch(/[\u0600-\u06FF]/);
    }
    for (const [key, text] of Object.entries(messages.en)) expect(text.trim(), key).not.toBe('');
  });
});
