import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningPlatform } from '@telemed/launcher';
import type { Appointment, ClientToServerEvents, Locale, ServerToClientEvents } from '@telemed/shared';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduledAppointments, signInDemo } from './testing/demoSessions.js';
import { startPlatformOnFreePorts } from './testing/platformOnFreePorts.js';

const eventTimeoutMs = 15_000;

/**
 * A refusal reaches the person in the language their socket asked for (`auth.locale`), whether signaling wrote
 * it or records did (signaling asks records in that language and passes its words on).
 */
describe('refusals in the socket’s language, with the real records service', () => {
  let platform: RunningPlatform;
  let dataDir: string;
  const sockets: Socket[] = [];
  let appointment: Appointment;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'telemed-e2e-locale-'));
    platform = await startPlatformOnFreePorts(
      dataDir,
      { LOG_LEVEL: 'warn' },
      {
        echo: (line) => process.stderr.write(`${line}\n`),
      },
    );
    const clinic = await signInDemo(platform, accountOf('clinic_doctor', 0));
    const specialist = await signInDemo(platform, accountOf('specialist', 0));
    [appointment] = (await scheduledAppointments(platform, clinic, specialist)) as [Appointment];
  });

  afterAll(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await platform?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  function accountOf(role: string, index: number): string | undefined {
    return platform.demoAccounts.filter((a) => a.role === role)[index]?.username;
  }

  async function connect(username: string | undefined, locale: Locale) {
    const { accessToken } = await signInDemo(platform, username);
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(platform.urls.signaling, {
      auth: { token: accessToken, locale },
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return socket.timeout(eventTimeoutMs);
  }

  it('passes records’ refusal on in Arabic to an Arabic socket, and in English to an English one', async () => {
    const otherClinic = accountOf('clinic_doctor', 1);
    const arabic = await (await connect(otherClinic, 'ar')).emitWithAck('room:join', {
      appointmentId: appointment.id,
    });
    expect(arabic).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'لا يحق لك الاطلاع على هذا الموعد.' },
    });
    const english = await (await connect(otherClinic, 'en')).emitWithAck('room:join', {
      appointmentId: appointment.id,
    });
    expect(english).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'You may not see this appointment.' },
    });
  });

  it('answers signaling’s own refusal in Arabic', async () => {
    const admin = await connect(accountOf('administrator', 0), 'ar');
    expect(await admin.emitWithAck('room:join', { appointmentId: appointment.id })).toEqual({
      ok: false,
      error: {
        code: 'FORBIDDEN',
        message: 'يشارك في الاستشارات أطباء الوحدات الصحية والأطباء الاستشاريون فقط.',
      },
    });
  });
});
