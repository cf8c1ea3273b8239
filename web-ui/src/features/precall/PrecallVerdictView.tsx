import { Alert, List, Text } from '@mantine/core';
import { useT } from '../../i18n/LocaleProvider.js';
import { type PrecallMeasurement, precallVerdict } from './precallVerdict.js';

const colors = { 'good-for-video': 'teal', 'audio-only': 'yellow', 'cannot-connect': 'red' } as const;

/** The pre-call network test's result: the verdict as a heading, what was measured, and what to do. */
export function PrecallVerdictView({ measurement }: { measurement: PrecallMeasurement }) {
  const t = useT();
  const verdict = precallVerdict(measurement);
  const title = t(`precall.verdict.${verdict.kind}`);
  return (
    <Alert color={colors[verdict.kind]} title={title} role="status" aria-label={title}>
      {measurement.reachability !== 'none' && (
        <Text size="sm">
          {t('precall.measured', {
            up: Math.round(measurement.uplinkKbps ?? 0),
            down: Math.round(measurement.downlinkKbps ?? 0),
            rtt: Math.round(measurement.rttMs ?? 0),
            loss: Math.round((measurement.loss ?? 0) * 1000) / 10,
          })}
        </Text>
      )}
      {verdict.reasons.length > 0 && (
        <List size="sm" mt="xs">
          {verdict.reasons.map((reason) => (
            <List.Item key={reason}>{t(`precall.reason.${reason}`)}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
