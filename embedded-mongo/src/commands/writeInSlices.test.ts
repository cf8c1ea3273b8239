import { ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { SliceClock } from '../scheduling/SliceClock.js';
import { Collection } from '../storage/Collection.js';
import { nullSink } from '../storage/StorageTypes.js';
import { ErrorCode } from './errorCodes.js';
import { changeInSlices, matchesInSlices } from './writeInSlices.js';

function routine(n: number) {
  const coll = new Collection('db', 'visits', {}, () => nullSink);
  for (let i = 0; i < n; i++) coll.insert({ _id: new ObjectId(), i, kind: 'routine' });
  return coll;
}

/** A clock whose slice is always used up: a pause before every document. */
const everyStep = () => new SliceClock(0);
const never = () => new SliceClock(Number.POSITIVE_INFINITY);

describe('writes in slices', () => {
  it('changes what matched, as each document is after a pause: changed ones are tested again, deleted ones skipped', async () => {
    const coll = routine(3);
    const filter = { kind: 'routine' };
    const [a, b, c] = await matchesInSlices(coll, filter, Number.POSITIVE_INFINITY, never(), () => true);
    // Another client's writes, served during the first pause.
    setImmediate(() => {
      coll.replace(b!.key, { ...b!.doc, kind: 'urgent' });
      coll.replace(c!.key, { ...c!.doc, note: 'seen' });
    });
    const changed: unknown[] = [];
    await changeInSlices(
      coll,
      filter,
      [a!, b!, c!],
      everyStep(),
      () => true,
      (doc) => changed.push(doc.doc),
    );
    expect(changed).toEqual([a!.doc, { ...c!.doc, note: 'seen' }]);
  });

  it('skips a document deleted meanwhile', async () => {
    const coll = routine(2);
    const matched = await matchesInSlices(coll, {}, Number.POSITIVE_INFINITY, never(), () => true);
    setImmediate(() => coll.delete(matched[1]!.key));
    const changed: string[] = [];
    await changeInSlices(
      coll,
      {},
      matched,
      everyStep(),
      () => true,
      (doc) => changed.push(doc.key),
    );
    expect(changed).toEqual([matched[0]!.key]);
  });

  it('stops when the collection was dropped during a pause', async () => {
    const coll = routine(600);
    const scan = matchesInSlices(coll, { kind: 'none' }, Number.POSITIVE_INFINITY, everyStep(), () => false);
    await expect(scan).rejects.toMatchObject({ code: ErrorCode.QueryPlanKilled });
    const matched = await matchesInSlices(coll, {}, Number.POSITIVE_INFINITY, never(), () => true);
    const change = changeInSlices(
      coll,
      {},
      matched,
      everyStep(),
      () => false,
      () => {},
    );
    await expect(change).rejects.toThrow('collection dropped during the operation');
  });

  it('finds at most `limit` documents', async () => {
    const coll = routine(10);
    expect(await matchesInSlices(coll, { kind: 'routine' }, 1, everyStep(), () => true)).toHaveLength(1);
  });
});
