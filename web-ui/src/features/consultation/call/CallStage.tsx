import { Badge, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import type { CallParticipant } from '../../../call/CallClient.js';
import { useCallSnapshot } from '../../../call/CallProvider.js';
import { useT } from '../../../i18n/LocaleProvider.js';
import { useFormatters } from '../../formatting.js';
import { QualityBadge } from './QualityBadge.js';
import { VideoView } from './VideoView.js';
import { WeakLinkBadge } from './WeakLinkBadge.js';

interface RemoteVideo {
  participant: CallParticipant;
  stream: MediaStream | undefined;
  camera: MediaStreamTrack | undefined;
  /** Their shared screen, told apart from the camera by the producer's source. */
  screen: MediaStreamTrack | undefined;
}

/**
 * The videos: a shared screen large when there is one, else the other side large (two side by side in a
 * three-party call); below, a strip with our own (mirrored) view and whoever is not on the main stage.
 */
export function CallStage() {
  const t = useT();
  const format = useFormatters();
  const snapshot = useCallSnapshot();
  const others: RemoteVideo[] = snapshot.participants
    .filter((p) => p.status === 'joined')
    .map((participant) => {
      const stream = snapshot.remoteStreams[participant.participantId];
      return {
        participant,
        stream,
        camera: stream?.getVideoTracks()[0],
        screen: snapshot.remoteScreens[participant.participantId]?.getVideoTracks()[0],
      };
    });
  const sharing = others.find((o) => o.screen);
  const pausedByUs = (o: RemoteVideo) => snapshot.videoPausedFrom.includes(o.participant.participantId);
  const pausedByThem = (o: RemoteVideo) => snapshot.videoPausedBySender.includes(o.participant.participantId);
  const videoPaused = (o: RemoteVideo) => pausedByUs(o) || pausedByThem(o);
  // Their weak uplink first: nothing our link does brings their video back.
  const pausedNotice = (o: RemoteVideo) =>
    pausedByThem(o) ? (
      <WeakLinkBadge side="remote-uplink" name={format.personName(o.participant.name)} />
    ) : pausedByUs(o) ? (
      <WeakLinkBadge side="viewer" name={format.personName(o.participant.name)} />
    ) : undefined;
  const onStage = sharing ? [] : others;
  const inStrip = sharing ? others : [];

  const caption = (o: RemoteVideo) => (
    <Group gap={6} justify="space-between" wrap="nowrap">
      <Text size="sm" c="white" fw={600} truncate className="video-name">
        {format.personName(o.participant.name)}
      </Text>
      <QualityBadge name={format.personName(o.participant.name)} quality={o.participant.quality} />
    </Group>
  );

  return (
    <Stack gap="xs" className="call-stage">
      {sharing && (
        <VideoView
          stream={sharing.stream}
          videoTrack={sharing.screen}
          label={t('call.video.screen', { name: format.personName(sharing.participant.name) })}
          muted
          className="remote-screen"
        >
          <Text size="sm" c="white" fw={600}>
            {t('call.video.screen', { name: format.personName(sharing.participant.name) })}
          </Text>
        </VideoView>
      )}
      {onStage.length > 0 && (
        <SimpleGrid cols={{ base: 1, sm: onStage.length > 1 ? 2 : 1 }} spacing="xs">
          {onStage.map((o) => (
            <VideoView
              key={o.participant.participantId}
              stream={o.stream}
              videoTrack={o.camera}
              label={t('call.video.remote', { name: format.personName(o.participant.name) })}
              placeholder={t('call.video.waiting')}
              className="remote-video"
              dimmed={videoPaused(o)}
              notice={pausedNotice(o)}
            >
              {caption(o)}
            </VideoView>
          ))}
        </SimpleGrid>
      )}
      <Group gap="xs" align="flex-start" wrap="wrap" className="call-strip">
        <div style={{ width: 'min(200px, 40%)' }}>
          <VideoView
            stream={snapshot.localStream}
            label={t('call.video.self')}
            mirrored
            muted
            className="self-video"
          >
            <Group gap={4} justify="space-between" wrap="nowrap">
              <Text size="xs" c="white" fw={600}>
                {t('call.you')}
              </Text>
              <QualityBadge name={t('call.you')} quality={snapshot.localQuality} />
            </Group>
          </VideoView>
          {snapshot.microphoneMuted && (
            <Badge color="red" variant="light" size="sm" mt={4}>
              {t('call.video.muted')}
            </Badge>
          )}
          {snapshot.uplinkVideoPaused && (
            <div style={{ marginTop: 4 }}>
              <WeakLinkBadge side="uplink" />
            </div>
          )}
          {snapshot.sendingAudioOnly && !snapshot.uplinkVideoPaused && (
            <div style={{ marginTop: 4 }}>
              <WeakLinkBadge side="sender" />
            </div>
          )}
          {snapshot.screenSharing && (
            <Badge color="blue" variant="light" size="sm" mt={4}>
              {t('call.sharing')}
            </Badge>
          )}
        </div>
        {inStrip.map((o) => (
          <div key={o.participant.participantId} style={{ width: 'min(200px, 40%)' }}>
            <VideoView
              stream={o.stream}
              videoTrack={o.camera}
              label={t('call.video.remote', { name: format.personName(o.participant.name) })}
              className="remote-video"
              dimmed={videoPaused(o)}
              notice={pausedNotice(o)}
            >
              {caption(o)}
            </VideoView>
          </div>
        ))}
      </Group>
    </Stack>
  );
}
