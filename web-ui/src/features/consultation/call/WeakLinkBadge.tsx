import { Badge } from '@mantine/core';
import { useT } from '../../../i18n/LocaleProvider.js';

/**
 * Where the link is weak, and so why video is paused:
 * - `viewer`, on the other side's tile: our own downlink (the SFU holds their video back from us);
 * - `sender`, on our own tile: the other side's downlink (they receive our audio only);
 * - `uplink`, on our own tile: our own uplink (we paused our video ourselves);
 * - `remote-uplink`, on the other side's tile: their uplink (they paused their video).
 * Audio continues in every case, and video comes back by itself.
 */
export type WeakLinkSide = 'viewer' | 'sender' | 'uplink' | 'remote-uplink';

export function WeakLinkBadge({ side, name }: { side: WeakLinkSide; name?: string }) {
  const t = useT();
  const { text, label } = {
    viewer: () => ({
      text: t('callQuality.videoPaused'),
      label: t('callQuality.videoPaused.label', { name: name ?? '' }),
    }),
    sender: () => ({
      text: t('callQuality.sendingAudioOnly'),
      label: t('callQuality.sendingAudioOnly.label'),
    }),
    uplink: () => ({ text: t('callQuality.uplinkPaused'), label: t('callQuality.uplinkPaused.label') }),
    'remote-uplink': () => ({
      text: t('callQuality.senderPaused'),
      label: t('callQuality.senderPaused.label', { name: name ?? '' }),
    }),
  }[side]();
  return (
    <Badge
      color="orange"
      variant="filled"
      size="md"
      role="status"
      aria-label={label}
      title={label}
      className="weak-link"
      data-side={side}
      style={{ whiteSpace: 'normal', height: 'auto', textTransform: 'none' }}
    >
      {text}
    </Badge>
  );
}
