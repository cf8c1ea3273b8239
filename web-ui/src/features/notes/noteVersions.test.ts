import { describe, expect, it } from 'vitest';
import { noteValueText, noteVersionSteps } from './noteVersions.js';

const by = '650000000000000000000001';

describe('a note’s version history', () => {
  it('lists amendments newest first, each with what it changed before and after', () => {
    const steps = noteVersionSteps({
      content: { findings: 'sinus rhythm', plan: 'review in two weeks' },
      amendments: [
        {
          version: 2,
          at: '2026-12-07T08:00:00.000Z',
          by,
          reason: 'typo',
          previous: { findings: 'sinus rythm', plan: 'review in a month' },
        },
        {
          version: 3,
          at: '2026-12-08T08:00:00.000Z',
          by,
          reason: 'dose corrected',
          previous: { findings: 'sinus rhythm', plan: 'review in a month' },
        },
      ],
    });
    expect(steps.map((s) => s.reason)).toEqual(['dose corrected', 'typo']);
    expect(steps[0]?.changes).toEqual([
      { field: 'plan', before: 'review in a month', after: 'review in two weeks' },
    ]);
    expect(steps[1]?.changes.map((c) => c.field)).toEqual(['findings']);
    expect(steps[1]?.changes[0]).toMatchObject({ before: 'sinus rythm', after: 'sinus rhythm' });
  });

  it('has no steps for a note never amended', () => {
    expect(noteVersionSteps({ content: { plan: 'x' }, amendments: [] })).toEqual([]);
  });

  it('writes diagnoses and referrals as text', () => {
    expect(noteValueText([{ code: 'I20.9', text: 'Angina', kind: 'primary' }])).toBe('I20.9 Angina');
    expect(noteValueText({ facility: 'Cairo University', reason: 'angiography' })).toBe(
      'Cairo University — angiography',
    );
    expect(noteValueText(undefined)).toBe('');
  });
});
