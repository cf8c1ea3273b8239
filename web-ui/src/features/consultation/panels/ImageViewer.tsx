import { ActionIcon, Box, Group, Modal, Text } from '@mantine/core';
import { type KeyboardEvent, type PointerEvent, useRef, useState, type WheelEvent } from 'react';
import { useIntl } from 'react-intl';
import { useT } from '../../../i18n/LocaleProvider.js';

const minScale = 1;
const maxScale = 8;
const panStep = 40;

interface View {
  scale: number;
  x: number;
  y: number;
}
const initialView: View = { scale: 1, x: 0, y: 0 };

function clampScale(scale: number): number {
  return Math.min(maxScale, Math.max(minScale, scale));
}

/**
 * An image shown large, to zoom and pan (a snapshot of a wound, a scanned report): the wheel, a pinch with two
 * fingers or the buttons zoom; dragging pans; with the image focused, + and - zoom, the arrows pan, 0 resets.
 */
export function ImageViewer({
  url,
  name,
  opened,
  onClose,
}: {
  url: string | undefined;
  name: string;
  opened: boolean;
  onClose(): void;
}) {
  const t = useT();
  const intl = useIntl();
  const [view, setView] = useState<View>(initialView);
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const pinchDistance = useRef<number | undefined>(undefined);

  const zoomBy = (factor: number) =>
    setView((v) => {
      const scale = clampScale(v.scale * factor);
      return scale === minScale ? initialView : { ...v, scale };
    });
  const panBy = (dx: number, dy: number) =>
    setView((v) => (v.scale === minScale ? v : { ...v, x: v.x + dx, y: v.y + dy }));

  const onWheel = (event: WheelEvent) => zoomBy(event.deltaY < 0 ? 1.2 : 1 / 1.2);

  const onPointerDown = (event: PointerEvent) => {
    event.currentTarget.setPointerCapture(event.pointerId);
    pointers.current.set(event.pointerId, { x: event.clientX, y: event.clientY });
  };
  const onPointerMove = (event: PointerEvent) => {
    const last = pointers.current.get(event.pointerId);
    if (!last) return;
    const now = { x: event.clientX, y: event.clientY };
    pointers.current.set(event.pointerId, now);
    if (pointers.current.size >= 2) {
      const [a, b] = [...pointers.current.values()];
      const distance = Math.hypot(a!.x - b!.x, a!.y - b!.y);
      if (pinchDistance.current) zoomBy(distance / pinchDistance.current);
      pinchDistance.current = distance;
    } else {
      panBy(now.x - last.x, now.y - last.y);
    }
  };
  const onPointerUp = (event: PointerEvent) => {
    pointers.current.delete(event.pointerId);
    if (pointers.current.size < 2) pinchDistance.current = undefined;
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const actions: Record<string, () => void> = {
      '+': () => zoomBy(1.25),
      '=': () => zoomBy(1.25),
      '-': () => zoomBy(0.8),
      '0': () => setView(initialView),
      ArrowLeft: () => panBy(panStep, 0),
      ArrowRight: () => panBy(-panStep, 0),
      ArrowUp: () => panBy(0, panStep),
      ArrowDown: () => panBy(0, -panStep),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  };

  const close = () => {
    setView(initialView);
    onClose();
  };

  return (
    <Modal opened={opened} onClose={close} title={t('panels.viewer.title', { name })} size="xl" centered>
      <Group justify="center" gap="xs" mb="xs">
        <ActionIcon
          variant="default"
          size="lg"
          aria-label={t('panels.viewer.zoomOut')}
          onClick={() => zoomBy(0.8)}
        >
          <span aria-hidden="true">−</span>
        </ActionIcon>
        <Text size="sm" aria-live="polite" miw={64} ta="center">
          {t('panels.viewer.zoom', { percent: intl.formatNumber(view.scale, { style: 'percent' }) })}
        </Text>
        <ActionIcon
          variant="default"
          size="lg"
          aria-label={t('panels.viewer.zoomIn')}
          onClick={() => zoomBy(1.25)}
        >
          <span aria-hidden="true">+</span>
        </ActionIcon>
        <ActionIcon
          variant="default"
          size="lg"
          aria-label={t('panels.viewer.reset')}
          onClick={() => setView(initialView)}
        >
          <span aria-hidden="true">1:1</span>
        </ActionIcon>
      </Group>
      <Box
        // The image is the control: focusable, named, and moved with the keyboard as with a finger.
        role="img"
        aria-label={t('panels.viewer.image')}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onWheel={onWheel}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        style={{
          overflow: 'hidden',
          touchAction: 'none',
          cursor: view.scale > minScale ? 'grab' : 'zoom-in',
          background: 'var(--mantine-color-dark-7)',
          height: 'min(70dvh, 720px)',
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'center',
          direction: 'ltr',
        }}
      >
        {url && (
          <img
            src={url}
            alt=""
            draggable={false}
            data-scale={view.scale}
            style={{
              maxWidth: '100%',
              maxHeight: '100%',
              transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})`,
              transformOrigin: 'center',
              userSelect: 'none',
            }}
          />
        )}
      </Box>
    </Modal>
  );
}
