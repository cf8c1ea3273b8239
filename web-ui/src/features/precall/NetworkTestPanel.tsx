import { Alert, Button, Group, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { useEffect, useId, useRef, useState } from 'react';
import type { NetworkTestProgress } from '../../call/precall/NetworkTest.js';
import { useT } from '../../i18n/LocaleProvider.js';
import { errorMessageOf } from '../../records/useRecordsQuery.js';
import { PrecallVerdictView } from './PrecallVerdictView.js';
import type { PrecallMeasurement } from './precallVerdict.js';
import { type NetworkTestRunner, useNetworkTestRunner } from './useNetworkTestRunner.js';

type TestState =
  | { step: 'idle' }
  | { step: 'running'; progress: NetworkTestProgress }
  | { step: 'done'; measurement: PrecallMeasurement }
  | { step: 'failed'; message: string };

/** The network test with the real runner (signaling with the session's token, the SFU loopback). */
export function NetworkTestPanel() {
  return <NetworkTestCheck runner={useNetworkTestRunner()} />;
}

/**
 * "Test my connection": reaches the SFU, measures the link for a few seconds (with progress), then shows the
 * verdict and what to do, or why the test could not run.
 */
export function NetworkTestCheck({ runner: run }: { runner: NetworkTestRunner }) {
  const t = useT();
  const headingId = useId();
  const [state, setState] = useState<TestState>({ step: 'idle' });
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const start = () => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setState({ step: 'running', progress: { phase: 'connecting', fraction: 0 } });
    run((progress) => {
      if (!controller.signal.aborted) setState({ step: 'running', progress });
    }, controller.signal).then(
      (measurement) => {
        if (!controller.signal.aborted) setState({ step: 'done', measurement });
      },
      (failure: unknown) => {
        if (!controller.signal.aborted) setState({ step: 'failed', message: errorMessageOf(failure) });
      },
    );
  };

  return (
    <Paper component="section" p="md" shadow="xs" aria-labelledby={headingId} className="network-test">
      <Stack gap="sm">
        <Title order={2} size="h4" id={headingId}>
          {t('precall.heading')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('precall.intro')}
        </Text>
        {state.step === 'running' && (
          <Stack gap={4}>
            <Text size="sm" id={`${headingId}-phase`}>
              {t(`precall.phase.${state.progress.phase}`)}
            </Text>
            <Progress.Root size="lg" transitionDuration={200}>
              <Progress.Section
                value={Math.round(state.progress.fraction * 100)}
                aria-labelledby={`${headingId}-phase`}
                animated
              />
            </Progress.Root>
          </Stack>
        )}
        {state.step === 'done' && <PrecallVerdictView measurement={state.measurement} />}
        {state.step === 'failed' && (
          <Alert color="red" role="alert" title={t('precall.failed')}>
            {state.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button
            variant={state.step === 'idle' ? 'filled' : 'light'}
            onClick={start}
            loading={state.step === 'running'}
            className="network-test-start"
          >
            {state.step === 'idle' ? t('precall.start') : t('precall.again')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
