import type { Document } from 'bson';
import { Aggregator } from 'mingo/aggregator';
import { Context } from 'mingo/core';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import { describe, expect, it } from 'vitest';
import { createAggregator } from './mingoOperators.js';

/** mingo with its own date operators, for comparison. */
const mingoAsIs = Context.init({
  accumulator: accumulatorOperators,
  expression: expressionOperators,
  pipeline: pipelineOperators,
});

// Around DST changes (Cairo, New York), a half-hour zone (Kolkata), a zone west of UTC with a half hour
// (St John's), the year 2000 leap day, and early years.
const dates = [
  '2026-04-24T21:59:59.999Z',
  '2026-04-24T22:00:00.000Z',
  '2026-10-29T20:59:59.500Z',
  '2026-10-29T21:00:00.000Z',
  '2026-03-08T06:59:59.000Z',
  '2026-03-08T07:00:00.000Z',
  '2026-11-01T05:30:00.000Z',
  '2000-02-29T23:30:00.000Z',
  '1969-12-31T23:59:59.999Z',
  '0050-06-15T12:00:00.000Z',
  '2026-11-21T23:45:00.000Z',
].map((iso, i) => ({ _id: i, at: new Date(iso) }));
const zones = [
  'Africa/Cairo',
  'America/New_York',
  'Asia/Kolkata',
  'America/St_Johns',
  'Europe/London',
  'Etc/GMT',
  '+03:30',
];

function projectWith(project: Document): [unknown[], unknown[]] {
  const pipeline = [{ $project: project }];
  return [createAggregator(pipeline).run(dates), new Aggregator(pipeline, { context: mingoAsIs }).run(dates)];
}

describe('date operators with a named time zone', () => {
  it.each(zones)('$dateToString gives what mingo gives, in %s', (timezone) => {
    const [ours, theirs] = projectWith({
      text: { $dateToString: { date: '$at', format: '%Y-%m-%d %H:%M:%S.%L %z (%Z) %j %u %V', timezone } },
      day: { $dateToString: { date: '$at', format: '%Y-%m-%d', timezone } },
      missing: { $dateToString: { date: '$nothing', timezone, onNull: 'none' } },
    });
    expect(ours).toEqual(theirs);
  });

  it.each(zones)('date parts give what mingo gives, in %s', (timezone) => {
    const date = { date: '$at', timezone };
    const [ours, theirs] = projectWith({
      year: { $year: date },
      month: { $month: date },
      day: { $dayOfMonth: date },
      hour: { $hour: date },
      minute: { $minute: date },
      weekday: { $isoDayOfWeek: date },
      parts: { $dateToParts: date },
      plain: { $hour: '$at' },
    });
    expect(ours).toEqual(theirs);
  });

  it('reports an unknown zone as mingo does', () => {
    const run = (aggregate: () => unknown) => {
      try {
        aggregate();
        return 'no error';
      } catch (error) {
        return (error as Error).message;
      }
    };
    const pipeline = [{ $project: { day: { $dateToString: { date: '$at', timezone: 'Mars/Olympus' } } } }];
    expect(run(() => createAggregator(pipeline).run(dates))).toBe(
      run(() => new Aggregator(pipeline, { context: mingoAsIs }).run(dates)),
    );
  });
});
