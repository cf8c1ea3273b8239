import { Badge } from '@mantine/core';
import { useT } from '../../../i18n/LocaleProvider.js';

/**
 * The audio-only fallback as a person sees it: on the other side's tile, that their video is paused because
 * our own link is weak (`viewer`); on our own tile, that the other side receives our audio only (`sender`).
 */
export function WeakLinkBadge({ side, name }: { side: 'viewer' | 'sender'; name?: string }) {
  const t = useT();
  const text = side === 'viewer' ? t('callQuality.videoPaused') : t('callQuality.sendingAudioOnly');
  const label =
    side === 'viewer'
      ? t('callQuality.videoPaused.label', { name: name ?? '' })
      : t('callQuality.sendingAudioOnly.label');
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
