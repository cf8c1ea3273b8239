import type { RoomState } from '@telemed/shared';
import { act, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { CallClient } from '../../../call/CallClient.js';
import { CallProvider } from '../../../call/CallProvider.js';
import { testUser } from '../../../testing/demoRecords.js';
import { type FakeRecords, startFakeRecords } from '../../../testing/fakeRecordsServer.js';
import { renderApp } from '../../../testing/renderApp.js';
import { ScriptedSignal } from '../../../testing/ScriptedSignal.js';
import { CallStage } from './CallStage.js';

const hex = (n: number) => n.toString(16).padStart(24, '0');
const selfId = hex(1);
const specialistId = hex(9);
const appointmentId = hex(101);
const since = new Date(Date.UTC(2026, 11, 7, 8, 0)).toISOString();

/** Signaling's room: ourselves (the clinic) still waiting, so jsdom sets up no media; the specialist in. */
const room: RoomState = {
  appointmentId,
  appointmentStatus: 'waiting',
  participants: [
    {
      participantId: selfId,
      role: 'clinic_doctor',
      callRole: 'clinic',
      name: { ar: 'د. منى علي', latin: 'Dr Mona Ali' },
      status: 'waiting',
      since,
    },
    {
      participantId: specialistId,
      role: 'specialist',
      callRole: 'booked-specialist',
      name: { ar: 'د. سارة حسن', latin: 'Dr Sara Hassan' },
      status: 'joined',
      since,
    },
  ],
};

describe('CallStage', () => {
  let records: FakeRecords | undefined;
  let opened: { signal: ScriptedSignal } | undefined;
  afterEach(async () => {
    await records?.stop();
  });

  async function open(locale: 'ar' | 'en') {
    records = await startFakeRecords({
      user: testUser('clinic_doctor', { id: selfId }),
      password: 'demo-password',
      routes: {},
    });
    const signal = new ScriptedSignal();
    signal.handlers.set('room:join', () => room);
    const call = new CallClient({ signal, selfId });
    await call.join(appointmentId);
    opened = { signal };
    renderApp(
      <CallProvider client={call}>
        <CallStage />
      </CallProvider>,
      { recordsUrl: records.baseUrl, locale },
    );
  }

  it('names the other side in Latin letters on an English screen', async () => {
    await open('en');
    expect(await screen.findByText('Dr Sara Hassan')).toBeTruthy();
    expect(screen.getByLabelText('Video of Dr Sara Hassan')).toBeTruthy();
    expect(screen.queryByText('د. سارة حسن')).toBeNull();
  });

  it('names the other side in Arabic on an Arabic screen', async () => {
    await open('ar');
    expect(await screen.findByText('د. سارة حسن')).toBeTruthy();
    expect(screen.queryByText('Dr Sara Hassan')).toBeNull();
  });

  it('shows on the tile that video is paused for our weak link, dimmed, until it comes back by itself', async () => {
    await open('en');
    await screen.findByText('Dr Sara Hassan');
    const tell = (paused: boolean) =>
      act(() =>
        opened?.signal.notify('media:video-bandwidth', {
          side: 'viewer',
          appointmentId,
          consumerId: 'consumer-1',
          producerId: 'producer-1',
          participantId: specialistId,
          paused,
        }),
      );
    expect(screen.queryByRole('status', { name: /paused because your connection is weak/ })).toBeNull();
    tell(true);
    const badge = await screen.findByRole('status', {
      name: 'Video of Dr Sara Hassan paused because your connection is weak; audio continues, and the video comes back by itself when the connection improves',
    });
    expect(badge.textContent).toBe('Video paused: your connection is weak. Audio continues');
    const tile = screen.getByLabelText('Video of Dr Sara Hassan').closest('.video-view');
    expect(tile?.getAttribute('data-dimmed')).toBe('true');
    tell(false);
    expect(screen.queryByRole('status', { name: /paused because your connection is weak/ })).toBeNull();
    expect(tile?.getAttribute('data-dimmed')).toBeNull();
  });

  it('names the other side’s weak uplink on their tile, not a camera turned off, until their video resumes', async () => {
    await open('en');
    await screen.findByText('Dr Sara Hassan');
    const tell = (paused: boolean, reason?: 'user' | 'bandwidth') =>
      act(() =>
        opened?.signal.notify('media:producer-paused', {
          appointmentId,
          producerId: 'producer-1',
          participantId: specialistId,
          paused,
          ...(reason ? { reason } : {}),
        }),
      );
    const name =
      'Video of Dr Sara Hassan paused because their connection is weak; audio continues, and the video comes back by itself when their connection improves';
    tell(true, 'user');
    expect(screen.queryByRole('status', { name })).toBeNull();
    tell(true, 'bandwidth');
    const badge = await screen.findByRole('status', { name });
    expect(badge.textContent).toBe('Video paused: their connection is weak');
    const tile = screen.getByLabelText('Video of Dr Sara Hassan').closest('.video-view');
    expect(tile?.getAttribute('data-dimmed')).toBe('true');
    tell(false);
    expect(screen.queryByRole('status', { name })).toBeNull();
    expect(tile?.getAttribute('data-dimmed')).toBeNull();
  });

  it('names it in Arabic on an Arabic screen', async () => {
    await open('ar');
    await screen.findByText('د. سارة حسن');
    act(() =>
      opened?.signal.notify('media:producer-paused', {
        appointmentId,
        producerId: 'producer-1',
        participantId: specialistId,
        paused: true,
        reason: 'bandwidth',
      }),
    );
    const badge = await screen.findByRole('status', {
      name: 'فيديو د. سارة حسن متوقف لأن اتصاله ضعيف، والصوت مستمر؛ سيعود الفيديو وحده عند تحسن اتصاله',
    });
    expect(badge.textContent).toBe('الفيديو متوقف: اتصال الطرف الآخر ضعيف');
  });

  it('tells the sender in Arabic that the other side receives audio only', async () => {
    await open('ar');
    await screen.findByText('د. سارة حسن');
    act(() =>
      opened?.signal.notify('media:video-bandwidth', {
        side: 'sender',
        appointmentId,
        producerId: 'producer-2',
        paused: true,
      }),
    );
    const badge = await screen.findByRole('status', {
      name: 'الطرف الآخر يستقبل صوتك فقط لأن اتصاله ضعيف؛ سيعود الفيديو وحده عند تحسن اتصاله',
    });
    expect(badge.textContent).toBe('الطرف الآخر يستقبل الصوت فقط: اتصاله ضعيف');
  });
});
