import '@mantine/charts/styles.css';
import { LineChart } from '@mantine/charts';
import { Paper, SimpleGrid, Text, Title } from '@mantine/core';
import type { VitalSign } from '@telemed/shared';
import { useMemo } from 'react';
import { useIntl } from 'react-intl';
import type { MessageKey } from '../../i18n/catalog.js';
import { useT } from '../../i18n/LocaleProvider.js';

type Kind = VitalSign['kind'];
interface Point {
  at: string;
  value?: number;
  systolic?: number;
  diastolic?: number;
}

/** One small line chart per kind of vital sign, oldest reading first, across all the patient's consultations. */
export function VitalsTrends({ readings }: { readings: readonly VitalSign[] }) {
  const t = useT();
  const intl = useIntl();
  const byKind = useMemo(() => {
    const groups = new Map<Kind, { unit: string; points: Point[] }>();
    const sorted = [...readings].sort((a, b) => a.takenAt.localeCompare(b.takenAt));
    for (const r of sorted) {
      const at = intl.formatDate(r.takenAt, { day: 'numeric', month: 'short' });
      const group = groups.get(r.kind) ?? { unit: r.unit, points: [] };
      group.points.push(
        r.kind === 'blood-pressure'
          ? { at, systolic: r.systolic, diastolic: r.diastolic }
          : { at, value: r.value },
      );
      groups.set(r.kind, group);
    }
    return [...groups.entries()];
  }, [readings, intl]);

  return (
    <Paper component="section" p="md" shadow="xs" aria-labelledby="vitals-trends-heading">
      <Title order={2} size="h3" id="vitals-trends-heading" mb="sm">
        {t('history.vitals')}
      </Title>
      {byKind.length === 0 ? (
        <Text c="dimmed">{t('history.noVitals')}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          {byKind.map(([kind, { unit, points }]) => {
            const name = t(`panels.vitals.kind.${kind}` as MessageKey);
            return (
              <figure
                key={kind}
                style={{ margin: 0 }}
                aria-label={t('history.vitalsChart', { name, count: points.length })}
              >
                <Text component="figcaption" size="sm" fw={500} mb={4}>
                  {name} <bdi>({unit})</bdi>
                </Text>
                {/* The chart reads left to right in both languages, as time does on a medical chart. */}
                <div dir="ltr">
                  <LineChart
                    h={160}
                    data={points}
                    dataKey="at"
                    withDots
                    curveType="linear"
                    // Around the readings, not from zero: a trend of 150 → 136 mmHg stays visible.
                    yAxisProps={{ domain: ['auto', 'auto'], interval: 0 }}
                    valueFormatter={(value) => intl.formatNumber(value)}
                    series={
                      kind === 'blood-pressure'
                        ? [
                            { name: 'systolic', label: t('history.systolic'), color: 'red.6' },
                            { name: 'diastolic', label: t('history.diastolic'), color: 'blue.6' },
                          ]
                        : [{ name: 'value', label: name, color: 'teal.6' }]
                    }
                  />
                </div>
              </figure>
            );
          })}
        </SimpleGrid>
      )}
    </Paper>
  );
}
