import { type Document, EJSON, Int32 } from 'bson';
import { update as mingoUpdate } from 'mingo';
import { describe, expect, it } from 'vitest';
import { cloneDocument } from '../bson/cloneDocument.js';
import { seededRandom } from '../testing/seededRandom.js';
import { applyPlainFieldUpdate } from './plainFieldUpdate.js';

const names = ['a', 'b', 'c', 'v'];

function randomValue(random: (n: number) => number, depth: number): unknown {
  switch (random(depth > 1 ? 6 : 8)) {
    case 0:
      return random(5) - 2;
    case 1:
      return random(7) / 4;
    case 2:
      return ['x', 'y', ''][random(3)];
    case 3:
      return null;
    case 4:
      return new Date(1_700_000_000_000 + random(3) * 1000);
    case 5:
      return new Int32(random(3));
    case 6:
      return Array.from({ length: random(3) }, () => randomValue(random, depth + 1));
    default:
      return randomDocument(random, depth + 1);
  }
}

function randomDocument(random: (n: number) => number, depth = 0): Document {
  const doc: Document = {};
  for (const name of names) if (random(2) === 0) doc[name] = randomValue(random, depth);
  return doc;
}

function randomPath(random: (n: number) => number): string {
  const parts = Array.from({ length: 1 + random(random(2) + 2) }, () =>
    random(30) === 0 ? ['0', '$', '$[]'][random(3)]! : names[random(4)]!,
  );
  return parts.join('.');
}

function randomModifier(random: (n: number) => number): Document {
  const modifier: Document = {};
  const ops = ['$set', '$unset', '$inc', '$push', '$set', '$inc', '$push', '$set', '$push', '$mul'];
  for (let i = 0; i < 1 + random(3); i++) {
    const op = ops[random(ops.length)]!;
    modifier[op] ??= {};
    const fields = modifier[op] as Document;
    const value =
      op === '$inc' || op === '$mul'
        ? random(6) === 0
          ? 'not a number'
          : random(5) - 2
        : op === '$unset'
          ? ''
          : op === '$push' && random(8) === 0
            ? { $each: [1, 2] }
            : randomValue(random, 1);
    fields[randomPath(random)] = value;
  }
  return modifier;
}

/** What the store did before for an operator update: mingo, on a copy, with its modified paths; or its error. */
function throughMingo(
  doc: Document,
  modifier: Document,
): { doc: Document; changed: boolean } | { error: string } {
  try {
    const paths = mingoUpdate(doc, cloneDocument(modifier), undefined, undefined, { cloneMode: 'none' });
    return { doc, changed: paths.length > 0 };
  } catch (error) {
    return { error: String(error) };
  }
}

const shown = (doc: Document) => EJSON.stringify(doc, { relaxed: false });

describe('applyPlainFieldUpdate', () => {
  it('changes a document exactly as mingo does, or declines and leaves it untouched', () => {
    // The generator's high bits: its low ones repeat with short periods, which would tie each choice here
    // to the one before it (every document had every field, every value a small integer).
    const raw = seededRandom(2024);
    const random = (n: number) => Math.floor((raw(2 ** 30) / 2 ** 30) * n);
    let applied = 0;
    let declined = 0;
    for (let round = 0; round < 20_000; round++) {
      const doc = randomDocument(random);
      const modifier = randomModifier(random);
      const fast = cloneDocument(doc);
      const changed = applyPlainFieldUpdate(fast, cloneDocument(modifier));
      const context = `doc ${shown(doc)} update ${shown(modifier)}`;
      if (changed === undefined) {
        declined++;
        expect(shown(fast), context).toBe(shown(doc));
        continue;
      }
      applied++;
      const reference = throughMingo(cloneDocument(doc), modifier);
      expect('error' in reference ? reference.error : shown(reference.doc), context).toBe(shown(fast));
      if (!('error' in reference)) expect(changed, context).toBe(reference.changed);
    }
    // Both branches are exercised in earnest.
    expect(applied).toBeGreaterThan(3000);
    expect(declined).toBeGreaterThan(3000);
  });

  it('writes a vital-signs entry the way the records service sends it', () => {
    const doc: Document = { _id: 1, version: 3, vitalSigns: [{ kind: 'heart-rate', value: 80 }] };
    const entry = { kind: 'heart-rate', value: 84, unit: '/min' };
    expect(applyPlainFieldUpdate(doc, { $push: { vitalSigns: entry }, $inc: { version: 1 } })).toBe(true);
    expect(doc).toEqual({ _id: 1, version: 4, vitalSigns: [{ kind: 'heart-rate', value: 80 }, entry] });
  });

  it('treats fields named like Object.prototype members as ordinary fields', () => {
    const doc: Document = { n: 1 };
    expect(
      applyPlainFieldUpdate(doc, {
        $set: { toString: 'x', 'constructor2.valueOf': 2 },
        $inc: { hasOwnProperty: 1 },
      }),
    ).toBe(true);
    expect(applyPlainFieldUpdate(doc, { $unset: { isPrototypeOf: '' } })).toBe(false);
    expect(shown(doc)).toBe(shown({ n: 1, toString: 'x', constructor2: { valueOf: 2 }, hasOwnProperty: 1 }));
  });

  it('declines what it does not handle, leaving it to mingo', () => {
    const doc = () => ({ a: [1, 2], n: 'text', o: { p: 1 } });
    for (const modifier of [
      { $set: { 'a.0': 5 } },
      { $set: { 'a.$': 5 } },
      { $inc: { n: 1 } },
      { $push: { o: 1 } },
      { $push: { a: { $each: [3, 4] } } },
      { $set: { o: 1, 'o.p': 2 } },
      { $set: { 'n.x': 1 } },
      { $mul: { 'o.p': 2 } },
    ]) {
      const target = doc();
      expect(applyPlainFieldUpdate(target, modifier), JSON.stringify(modifier)).toBeUndefined();
      expect(target).toEqual(doc());
    }
  });
});
