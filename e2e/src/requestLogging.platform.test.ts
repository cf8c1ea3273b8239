import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningPlatform } from '@telemed/launcher';
import type { Appointment, ClientToServerEvents, ServerToClientEvents } from '@telemed/shared';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduledAppointments, signInDemo } from './testing/demoSessions.js';
import { startPlatformOnFreePorts } from './testing/platformOnFreePorts.js';

interface LogLine {
  msg?: string;
  requestId?: string;
  event?: string;
  [key: string]: unknown;
}

/**
 * Each service logs each request with its status, its duration and a request id, and the id of a socket event
 * follows it into records: signaling sends it as `x-request-id`, records logs it on its own line for the call.
 */
describe('request logging across signaling and records', () => {
  let platform: RunningPlatform;
  let dataDir: string;
  let socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;
  let appointment: Appointment;
  const patientName = 'a name nobody logs';

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'telemed-e2e-logging-'));
    platform = await startPlatformOnFreePorts(dataDir, { LOG_LEVEL: 'info' });
    const clinicUser = platform.demoAccounts.find((a) => a.role === 'clinic_doctor')?.username;
    const specialistUser = platform.demoAccounts.find((a) => a.role === 'specialist')?.username;
    const clinic = await signInDemo(platform, clinicUser);
    const specialist = await signInDemo(platform, specialistUser);
    [appointment] = (await scheduledAppointments(platform, clinic, specialist)) as [Appointment];
    socket = io(platform.urls.signaling, {
      auth: { token: clinic.accessToken, locale: 'en' },
      transports: ['websocket'],
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket!.once('connect', resolve);
      socket!.once('connect_error', reject);
    });
    // A search by name: the name is in the query string, which no log line may hold.
    await fetch(`${platform.urls.records}/api/patients?q=${encodeURIComponent(patientName)}`, {
      headers: { authorization: `Bearer ${clinic.accessToken}` },
    });
  });

  afterAll(async () => {
    socket?.close();
    await platform?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  function logOf(service: 'records' | 'signaling'): LogLine[] {
    return readFileSync(join(dataDir, 'logs', `${service}.log`), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
  }

  it('logs the request id of a socket event in records’ line for the call it made', async () => {
    const answer = await socket!.timeout(15_000).emitWithAck('room:join', { appointmentId: appointment.id });
    expect(answer.ok).toBe(true);
    let eventLine: LogLine | undefined;
    await expect
      .poll(
        () => {
          eventLine = logOf('signaling').find((l) => l.event === 'room:join' && l.outcome === 'ok');
          return eventLine;
        },
        { timeout: 15_000 },
      )
      .toBeDefined();
    expect(eventLine).toMatchObject({ requestId: expect.any(String), durationMs: expect.any(Number) });
    await expect
      .poll(() => logOf('records').filter((l) => l.requestId === eventLine!.requestId), { timeout: 15_000 })
      .toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            req: expect.objectContaining({ path: expect.stringContaining('/api/appointments/') }),
            res: { status: expect.any(Number) },
            durationMs: expect.any(Number),
          }),
        ]),
      );
  });

  it('logs each records request without its query string', async () => {
    const search = logOf('records').filter((l) => l.msg?.startsWith('GET /api/patients '));
    expect(search.length).toBeGreaterThan(0);
    const recordsLog = readFileSync(join(dataDir, 'logs', 'records.log'), 'utf8');
    expect(recordsLog).not.toContain(patientName);
    expect(recordsLog).not.toContain(encodeURIComponent(patientName));
  });
});
