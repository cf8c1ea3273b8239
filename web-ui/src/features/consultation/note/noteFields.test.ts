import { describe, expect, it } from 'vitest';
import { changedFields, mergeNote, noteFormOf } from './noteFields.js';

const base = noteFormOf({
  findings: 'نبض منتظم',
  plan: 'متابعة',
  diagnoses: [{ code: 'I10', text: 'ارتفاع ضغط الدم الأساسي', kind: 'primary' }],
});

describe('the note form', () => {
  it('reads absent fields as empty: text "", lists [], choices null', () => {
    expect(noteFormOf({})).toEqual({
      findings: '',
      diagnoses: [],
      plan: '',
      recommendations: '',
      referral: null,
      followUpDate: null,
    });
  });

  it('sends only the fields that differ, whatever the key order of a stored object', () => {
    const reordered = {
      ...base,
      diagnoses: [{ kind: 'primary' as const, text: 'ارتفاع ضغط الدم الأساسي', code: 'I10' }],
      plan: 'متابعة بعد أسبوع',
    };
    expect(changedFields(base, reordered)).toEqual({ plan: 'متابعة بعد أسبوع' });
  });

  it('merges three ways: theirs where only they changed, mine where only I did, a conflict where both differ', () => {
    const mine = { ...base, findings: 'نبض منتظم، لا نفخة', recommendations: 'راحة' };
    const theirs = { ...base, findings: 'نبض غير منتظم', plan: 'تخطيط قلب', recommendations: 'راحة' };
    const { merged, conflicts } = mergeNote(base, mine, theirs);
    expect(conflicts).toEqual(['findings']);
    expect(merged).toMatchObject({
      findings: 'نبض منتظم، لا نفخة',
      plan: 'تخطيط قلب',
      recommendations: 'راحة',
    });
  });

  it('sees no conflict when the only change since is not in the note (a vital sign bumped the version)', () => {
    const mine = { ...base, plan: 'أملوديبين' };
    expect(mergeNote(base, mine, base)).toEqual({ merged: mine, conflicts: [] });
  });
});
