import { Badge } from '@mantine/core';
import type { NetworkQuality } from '../../../call/networkQuality.js';
import { useT } from '../../../i18n/LocaleProvider.js';

const colors: Record<NetworkQuality, string> = { good: 'teal', fair: 'yellow', poor: 'red', unknown: 'gray' };
const bars: Record<NetworkQuality, string> = { good: '▂▄▆', fair: '▂▄', poor: '▂', unknown: '…' };

/** One side's link, as the call client rates it from the SFU's scores and the browser's stats. */
export function QualityBadge({ name, quality }: { name: string; quality: NetworkQuality }) {
  const t = useT();
  const label = t('call.quality', { name, quality: t(`call.quality.${quality}`) });
  return (
    <Badge
      color={colors[quality]}
      variant="filled"
      size="sm"
      role="status"
      aria-label={label}
      title={label}
      className="network-quality"
      data-quality={quality}
    >
      <span aria-hidden>{bars[quality]}</span> {t(`call.quality.${quality}`)}
    </Badge>
  );
}
