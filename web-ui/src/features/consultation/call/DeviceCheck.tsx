import { Alert, Button, Group, Paper, Progress, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import {
  listMediaDevices,
  type MediaDevices,
  MicrophoneLevelMeter,
  openLocalStream,
} from '../../../call/devices.js';
import { useT } from '../../../i18n/LocaleProvider.js';
import { VideoView } from './VideoView.js';

export interface DeviceCheckProps {
  /** The button's words: join, or join and admit. */
  joinLabel: string;
  joining: boolean;
  /** The chosen camera and microphone, open: the call sends this stream as it is. */
  onJoin(stream: MediaStream): void;
}

/**
 * Before the call: the camera and microphone to use, a live (mirrored) preview and a level meter, so the clinic
 * knows the specialist will see and hear them. The stream chosen here is the one the call sends.
 */
export function DeviceCheck({ joinLabel, joining, onJoin }: DeviceCheckProps) {
  const t = useT();
  const [devices, setDevices] = useState<MediaDevices>({ cameras: [], microphones: [] });
  // What the person asked for (reopens the stream), and what the open stream actually uses (shown).
  const [choice, setChoice] = useState<{ cameraId?: string; microphoneId?: string }>({});
  const [inUse, setInUse] = useState<{ cameraId?: string; microphoneId?: string }>({});
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [error, setError] = useState<string | null>(null);
  const handedOver = useRef(false);

  useEffect(() => {
    let cancelled = false;
    let opened: MediaStream | null = null;
    setError(null);
    openLocalStream(choice)
      .then(async (next) => {
        if (cancelled) {
          for (const track of next.getTracks()) track.stop();
          return;
        }
        opened = next;
        setStream(next);
        // Labels and ids are only given once the page may use the devices.
        setDevices(await listMediaDevices());
        const cameraId = next.getVideoTracks()[0]?.getSettings().deviceId;
        const microphoneId = next.getAudioTracks()[0]?.getSettings().deviceId;
        setInUse({ ...(cameraId ? { cameraId } : {}), ...(microphoneId ? { microphoneId } : {}) });
      })
      .catch((failure: unknown) => {
        if (!cancelled)
          setError(failure instanceof Error ? failure.name || failure.message : String(failure));
      });
    return () => {
      cancelled = true;
      // The stream handed to the call is the call's now; any other one is released.
      if (opened && !handedOver.current) for (const track of opened.getTracks()) track.stop();
    };
  }, [choice]);

  const options = (list: MediaDeviceInfo[]) =>
    list.map((d, i) => ({
      value: d.deviceId,
      label: d.label || t('call.deviceCheck.device', { number: i + 1 }),
    }));

  return (
    <Paper component="section" p="md" shadow="xs" aria-labelledby="device-check-heading">
      <Title order={2} size="h3" id="device-check-heading" mb="md">
        {t('call.deviceCheck.heading')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <VideoView
          stream={stream}
          label={t('call.deviceCheck.preview')}
          mirrored
          muted
          placeholder={error ? '' : t('call.deviceCheck.starting')}
        />
        <Stack gap="sm">
          {error && (
            <Alert color="red" role="alert">
              <Stack gap="xs" align="flex-start">
                <Text size="sm">{t('call.deviceCheck.failed', { reason: error })}</Text>
                <Button size="compact-sm" variant="light" onClick={() => setChoice((c) => ({ ...c }))}>
                  {t('common.retry')}
                </Button>
              </Stack>
            </Alert>
          )}
          <Select
            label={t('call.deviceCheck.camera')}
            data={options(devices.cameras)}
            value={inUse.cameraId ?? null}
            onChange={(id) => id && setChoice({ ...inUse, cameraId: id })}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          <Select
            label={t('call.deviceCheck.microphone')}
            data={options(devices.microphones)}
            value={inUse.microphoneId ?? null}
            onChange={(id) => id && setChoice({ ...inUse, microphoneId: id })}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          <MicrophoneLevel stream={stream} />
          <Group justify="flex-end" mt="sm">
            <Button
              size="md"
              color="teal"
              className="call-join"
              disabled={!stream}
              loading={joining}
              onClick={() => {
                if (!stream) return;
                handedOver.current = true;
                onJoin(stream);
              }}
            >
              {joinLabel}
            </Button>
          </Group>
        </Stack>
      </SimpleGrid>
    </Paper>
  );
}

/** The microphone's level, read ten times a second: enough to see speech move the bar. */
function MicrophoneLevel({ stream }: { stream: MediaStream | null }) {
  const t = useT();
  const [level, setLevel] = useState(0);
  useEffect(() => {
    if (!stream || stream.getAudioTracks().length === 0 || typeof AudioContext === 'undefined') return;
    const meter = new MicrophoneLevelMeter(stream);
    const timer = setInterval(() => setLevel(meter.level()), 100);
    return () => {
      clearInterval(timer);
      void meter.close();
    };
  }, [stream]);
  const percent = Math.round(level * 100);
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id="mic-level-label">
        {t('call.deviceCheck.level')}
      </Text>
      <Progress
        value={percent}
        color={percent > 5 ? 'teal' : 'gray'}
        size="lg"
        aria-labelledby="mic-level-label"
        className="mic-level"
        data-level={percent}
        transitionDuration={80}
      />
    </Stack>
  );
}
