import { Box, Center, Text } from '@mantine/core';
import { type ReactNode, useEffect, useRef } from 'react';

export interface VideoViewProps {
  stream: MediaStream | null | undefined;
  /** The accessible name of the video (whose it is). */
  label: string;
  /** The person's own camera is shown as in a mirror. */
  mirrored?: boolean;
  /** Our own audio is never played back to us. */
  muted?: boolean;
  /** Shown over the frame when there is no video yet. */
  placeholder?: string;
  /** A caption over the bottom of the frame: the name, the quality, muted… */
  children?: ReactNode;
  className?: string;
  /** The video's own track to show, when the stream carries more than one (a camera and a screen). */
  videoTrack?: MediaStreamTrack | undefined;
  /** The video is held back (a weak link): its last frame stays, dimmed, under whatever `notice` says why. */
  dimmed?: boolean;
  /** Shown in the middle of the frame, over the video. */
  notice?: ReactNode;
}

/** One labelled <video> playing `stream`, 16:9, with a caption. */
export function VideoView({
  stream,
  label,
  mirrored,
  muted,
  placeholder,
  children,
  className,
  videoTrack,
  dimmed,
  notice,
}: VideoViewProps) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const element = video.current;
    if (!element) return;
    const shown =
      videoTrack && stream
        ? new MediaStream([videoTrack, ...(muted ? [] : stream.getAudioTracks())])
        : (stream ?? null);
    if (element.srcObject !== shown) element.srcObject = shown;
    if (shown) void element.play().catch(() => undefined);
  }, [stream, videoTrack, muted]);
  const hasVideo = Boolean(stream && stream.getVideoTracks().length > 0);
  return (
    <Box
      className={['video-view', className].filter(Boolean).join(' ')}
      pos="relative"
      bg="dark.8"
      style={{ borderRadius: 8, overflow: 'hidden', aspectRatio: '16 / 9' }}
      data-dimmed={dimmed ? 'true' : undefined}
    >
      <video
        ref={video}
        aria-label={label}
        autoPlay
        playsInline
        muted={muted}
        style={{
          width: '100%',
          height: '100%',
          objectFit: 'contain',
          display: 'block',
          transform: mirrored ? 'scaleX(-1)' : undefined,
          filter: dimmed ? 'grayscale(1) brightness(0.45)' : undefined,
        }}
      />
      {notice && (
        <Center pos="absolute" inset={0} p="sm">
          {notice}
        </Center>
      )}
      {!hasVideo && placeholder && (
        <Center pos="absolute" inset={0}>
          <Text c="gray.3" size="sm">
            {placeholder}
          </Text>
        </Center>
      )}
      {children && (
        <Box pos="absolute" bottom={0} left={0} right={0} p={6} className="video-caption">
          {children}
        </Box>
      )}
    </Box>
  );
}
