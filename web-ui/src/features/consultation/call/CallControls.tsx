import {
  ActionIcon,
  Alert,
  Button,
  Group,
  Modal,
  Popover,
  Select,
  Stack,
  Text,
  Tooltip,
} from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { useCall, useCallSnapshot } from '../../../call/CallProvider.js';
import { listMediaDevices, type MediaDevices, openDeviceTrack } from '../../../call/devices.js';
import { useT } from '../../../i18n/LocaleProvider.js';
import { errorMessageOf } from '../../../records/useRecordsQuery.js';
import { CallIcon } from './CallIcon.js';

export interface CallControlsProps {
  /** The booked specialist: may invite and end. */
  host: boolean;
  onInvite(): void;
  onLeave(): void;
}

/** Mute, camera, devices, screen share; invite and end for the booked specialist; leave for everyone. */
export function CallControls({ host, onInvite, onLeave }: CallControlsProps) {
  const t = useT();
  const call = useCall();
  const snapshot = useCallSnapshot();
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [ending, setEnding] = useState(false);
  const act = (work: () => Promise<unknown>) => {
    setError(null);
    work().catch((failure: unknown) => setError(errorMessageOf(failure)));
  };
  const canShare = typeof navigator !== 'undefined' && Boolean(navigator.mediaDevices?.getDisplayMedia);

  const toggleScreen = () =>
    act(async () => {
      if (snapshot.screenSharing) return call.stopScreenShare();
      const display = await navigator.mediaDevices.getDisplayMedia({ video: true });
      const [track] = display.getVideoTracks();
      if (track) await call.startScreenShare(track);
    });

  return (
    <Stack gap="xs" className="call-controls">
      {error && (
        <Alert color="red" role="alert" p="xs" withCloseButton onClose={() => setError(null)}>
          {error}
        </Alert>
      )}
      <Group gap="xs" justify="center" wrap="wrap" role="toolbar" aria-label={t('call.controls')}>
        <Control
          label={snapshot.microphoneMuted ? t('call.unmute') : t('call.mute')}
          pressed={snapshot.microphoneMuted}
          onClick={() => act(() => call.setMicrophoneMuted(!snapshot.microphoneMuted))}
        >
          <CallIcon name="microphone" crossed={snapshot.microphoneMuted} />
        </Control>
        <Control
          label={snapshot.cameraOff ? t('call.cameraOn') : t('call.cameraOff')}
          pressed={snapshot.cameraOff}
          onClick={() => act(() => call.setCameraOff(!snapshot.cameraOff))}
        >
          <CallIcon name="camera" crossed={snapshot.cameraOff} />
        </Control>
        <DeviceSwitch onError={setError} />
        {canShare && (
          <Control
            label={snapshot.screenSharing ? t('call.stopShare') : t('call.shareScreen')}
            pressed={snapshot.screenSharing}
            onClick={toggleScreen}
          >
            <CallIcon name="screen" crossed={snapshot.screenSharing} />
          </Control>
        )}
        {host && (
          <Button variant="light" onClick={onInvite}>
            {t('call.invite')}
          </Button>
        )}
        <Button variant="default" aria-label={t('call.leaveLabel')} onClick={onLeave}>
          {t('call.leave')}
        </Button>
        {host && (
          <Button color="red" onClick={() => setConfirmEnd(true)}>
            {t('call.end')}
          </Button>
        )}
      </Group>
      <Modal opened={confirmEnd} onClose={() => setConfirmEnd(false)} title={t('call.end')} centered>
        <Stack gap="md">
          <Text>{t('call.endConfirm.body')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmEnd(false)}>
              {t('call.cancel')}
            </Button>
            <Button
              color="red"
              loading={ending}
              onClick={() => {
                setEnding(true);
                call
                  .end()
                  .catch((failure: unknown) => setError(errorMessageOf(failure)))
                  .finally(() => {
                    setEnding(false);
                    setConfirmEnd(false);
                  });
              }}
            >
              {t('call.endConfirm.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function Control({
  label,
  pressed,
  onClick,
  children,
}: {
  label: string;
  pressed: boolean;
  onClick(): void;
  children: ReactNode;
}) {
  return (
    <Tooltip label={label} withArrow>
      <ActionIcon
        size="xl"
        radius="xl"
        variant={pressed ? 'filled' : 'light'}
        color={pressed ? 'red' : 'clinical'}
        aria-label={label}
        aria-pressed={pressed}
        onClick={onClick}
      >
        {children}
      </ActionIcon>
    </Tooltip>
  );
}

/** Another camera or microphone during the call: the new track replaces the old one in what is sent. */
function DeviceSwitch({ onError }: { onError(message: string): void }) {
  const t = useT();
  const call = useCall();
  const { localStream } = useCallSnapshot();
  const [devices, setDevices] = useState<MediaDevices>({ cameras: [], microphones: [] });
  const current = (kind: 'audio' | 'video') =>
    (kind === 'video' ? localStream?.getVideoTracks() : localStream?.getAudioTracks())?.[0]?.getSettings()
      .deviceId ?? null;
  const options = (list: MediaDeviceInfo[]) =>
    list.map((d, i) => ({
      value: d.deviceId,
      label: d.label || t('call.deviceCheck.device', { number: i + 1 }),
    }));
  const change = (kind: 'audio' | 'video', deviceId: string | null) => {
    if (!deviceId || deviceId === current(kind)) return;
    openDeviceTrack(kind, deviceId)
      .then((track) => call.switchDevice(track))
      .catch((failure: unknown) => onError(errorMessageOf(failure)));
  };
  return (
    <Popover
      width={300}
      position="top"
      withArrow
      onOpen={() => void listMediaDevices().then(setDevices, () => undefined)}
    >
      <Popover.Target>
        <Tooltip label={t('call.devices')} withArrow>
          <ActionIcon size="xl" radius="xl" variant="light" color="clinical" aria-label={t('call.devices')}>
            <CallIcon name="devices" />
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="sm">
          <Select
            label={t('call.deviceCheck.camera')}
            data={options(devices.cameras)}
            value={current('video')}
            onChange={(id) => change('video', id)}
            allowDeselect={false}
            comboboxProps={{ withinPortal: false }}
          />
          <Select
            label={t('call.deviceCheck.microphone')}
            data={options(devices.microphones)}
            value={current('audio')}
            onChange={(id) => change('audio', id)}
            allowDeselect={false}
            comboboxProps={{ withinPortal: false }}
          />
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
