/**
 * `npm run bench:join` (it builds first): the join time of issue 19, from the specialist's *admit* to the first
 * remote video frame shown on BOTH sides (the clinic sees the specialist, the specialist sees the clinic). It
 * starts the platform as `npm start` does (on free ports, in a temporary DATA_DIR, embedded defaults), and for
 * each join opens two fresh pages in Debian's Chromium running web-ui's real `CallClient` (the call client's
 * test page): the clinic doctor joins and waits, the specialist joins (its media is up before it admits), the
 * specialist admits. Every join is a fresh seeded appointment, so a fresh room and router; its consultation is
 * ended before the next.
 *
 * The first frame is stamped in the page by `requestVideoFrameCallback` on the <video> element: the
 * `presentationTime` of the first frame handed to the compositor, on the browser's shared clock (sub-millisecond;
 * the frame was decoded at most one display refresh, about 17 ms, before). Admit is stamped when the
 * specialist's page sends `room:admit`. The phases are the requests the clinic's call client sends after it is
 * admitted (and the specialist's consuming of the clinic), each at its answer, from admit.
 *
 * Prints a table per join and the median and p95 of the slower side, and exits 1 when the median misses the
 * goal (`JOIN_BENCH_GOAL_MS`, 1500) or a join failed, 2 on a bad setting. `JOIN_BENCH_JOINS` (10) joins.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LaunchedChromium, launchChromium } from '@telemed/browser-testing';
import type { RunningPlatform } from '@telemed/launcher';
import type { Appointment, SessionResponse } from '@telemed/shared';
import type { Page } from 'playwright-core';
import type { Timeline } from '../testing/callPage/page.js';
import { scheduledAppointments, signInDemo, signInDemoRole } from '../testing/demoSessions.js';
import { startPlatformOnFreePorts } from '../testing/platformOnFreePorts.js';
import { serveCallPage } from '../testing/serveCallPage.js';
import { until as untilWithin } from '../testing/until.js';

const waitMs = 30_000;

interface Consultation {
  clinic: SessionResponse;
  specialist: SessionResponse;
  appointment: Appointment;
}

/** One join's moments, in milliseconds from admit. */
interface JoinFigures {
  clinicFrame: number;
  specialistFrame: number;
  slower: number;
  phases: Record<PhaseName, number>;
}

const phaseNames = [
  'admit ack',
  'clinic admitted',
  'router caps',
  'transports',
  'produced',
  'clinic consumed',
  'specialist consumed',
] as const;
type PhaseName = (typeof phaseNames)[number];

/** A whole-number setting from the environment, or what is wrong with it. */
function readSetting(name: string, fallback: number, min: number, max: number): number | string {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    return `${name} must be a whole number from ${min} to ${max}; it is "${raw}".`;
  }
  return value;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Polled often: the bench reads the steps' times from the pages, but admits as soon as both sides are ready. */
function until<T>(read: () => Promise<T>, holds: (value: T) => boolean, what: string): Promise<T> {
  return untilWithin(read, holds, what, waitMs, 50);
}

/** Fresh appointments: each specialist's scheduled ones with the first clinic doctor, until there are `count`. */
async function consultations(platform: RunningPlatform, count: number): Promise<Consultation[]> {
  const clinic = await signInDemoRole(platform, 'clinic_doctor');
  const found: Consultation[] = [];
  for (const account of platform.demoAccounts.filter((a) => a.role === 'specialist')) {
    const specialist = await signInDemo(platform, account.username);
    for (const appointment of await scheduledAppointments(platform, clinic, specialist)) {
      found.push({ clinic, specialist, appointment });
      if (found.length === count) return found;
    }
  }
  throw new Error(
    `the demo data holds ${found.length} scheduled appointments of one clinic doctor, not ${count}`,
  );
}

class JoinBench {
  readonly #platform: RunningPlatform;
  readonly #browser: LaunchedChromium;
  readonly #pageUrl: string;

  constructor(platform: RunningPlatform, browser: LaunchedChromium, pageUrl: string) {
    this.#platform = platform;
    this.#browser = browser;
    this.#pageUrl = pageUrl;
  }

  async join({ clinic, specialist, appointment }: Consultation): Promise<JoinFigures> {
    const clinicPage = await this.#openCall(clinic, appointment.id);
    const specialistPage = await this.#openCall(specialist, appointment.id);
    try {
      const state = (page: Page) => page.evaluate('window.callState()') as Promise<{ state: string }>;
      await until(
        () => state(clinicPage),
        (s) => s.state === 'waiting',
        'the clinic waiting',
      );
      await until(
        () => state(specialistPage),
        (s) => s.state === 'connected',
        'the specialist’s media up',
      );
      await specialistPage.evaluate(
        (id) => (window as unknown as { admit(id: string): Promise<void> }).admit(id),
        clinic.user.id,
      );
      const timeline = (page: Page) => page.evaluate('window.timeline()') as Promise<Timeline>;
      const seen = (id: string) => (t: Timeline) => t.firstFrames[id] !== undefined;
      await Promise.all([
        until(
          () => timeline(clinicPage),
          seen(specialist.user.id),
          'the specialist’s first frame at the clinic',
        ),
        until(
          () => timeline(specialistPage),
          seen(clinic.user.id),
          'the clinic’s first frame at the specialist',
        ),
      ]);
      // Read again once both are in: a side's later steps (the clinic produces after it consumes) are in too.
      const [clinicSide, specialistSide] = await Promise.all([
        timeline(clinicPage),
        timeline(specialistPage),
      ]);
      return figuresOf(clinicSide, specialistSide, clinic.user.id, specialist.user.id);
    } finally {
      // The consultation ends, so the next join starts with no room, router or media of this one left.
      await specialistPage.evaluate('window.end()').catch(() => undefined);
      await clinicPage.close();
      await specialistPage.close();
    }
  }

  async #openCall(session: SessionResponse, appointmentId: string): Promise<Page> {
    const page = await this.#browser.context.newPage();
    page.on('pageerror', (e) => process.stderr.write(`[page ${session.user.role}] ${e.message}\n`));
    await page.goto(this.#pageUrl);
    await page.evaluate(
      (options) => (window as unknown as { startCall(o: unknown): Promise<void> }).startCall(options),
      {
        signalingUrl: this.#platform.urls.signaling,
        accessToken: session.accessToken,
        selfId: session.user.id,
        appointmentId,
      },
    );
    return page;
  }
}

function figuresOf(clinicSide: Timeline, specialistSide: Timeline, clinicId: string, specialistId: string) {
  const admitAt = specialistSide.marks.find((m) => m.what === 'room:admit sent')?.at;
  if (admitAt === undefined) throw new Error('the specialist’s page never sent room:admit');
  const since = (at: number | undefined) => (at === undefined ? Number.NaN : at - admitAt);
  const after = (marks: Timeline['marks'], what: string, last = false) => {
    const found = marks.filter((m) => m.what === what && m.at >= admitAt);
    return since((last ? found.at(-1) : found[0])?.at);
  };
  const clinicFrame = since(clinicSide.firstFrames[specialistId]);
  const specialistFrame = since(specialistSide.firstFrames[clinicId]);
  const phases: Record<PhaseName, number> = {
    'admit ack': after(specialistSide.marks, 'room:admit ack'),
    'clinic admitted': after(clinicSide.marks, 'room:admitted'),
    'router caps': after(clinicSide.marks, 'media:router-capabilities ack'),
    transports: after(clinicSide.marks, 'media:create-transport ack', true),
    // The camera is produced first; its first produce also connects the send transport (DTLS).
    produced: after(clinicSide.marks, 'media:produce ack'),
    'clinic consumed': after(clinicSide.marks, 'media:resume-consumer ack', true),
    'specialist consumed': after(specialistSide.marks, 'media:resume-consumer ack', true),
  };
  return { clinicFrame, specialistFrame, slower: Math.max(clinicFrame, specialistFrame), phases };
}

const ms = (value: number) => (Number.isFinite(value) ? Math.round(value) : Number.NaN);

function report(figures: JoinFigures[], failures: string[], joins: number, goalMs: number): boolean {
  console.log(
    `\njoin bench: ${figures.length} of ${joins} joins measured; times in ms from admit; load average ${loadavg()[0]?.toFixed(2)}`,
  );
  console.table(
    figures.map((f, i) => ({
      join: i + 1,
      'clinic 1st frame': ms(f.clinicFrame),
      'specialist 1st frame': ms(f.specialistFrame),
      'max (both)': ms(f.slower),
      ...Object.fromEntries(phaseNames.map((name) => [name, ms(f.phases[name])])),
    })),
  );
  const slower = figures.map((f) => f.slower);
  const median = percentile(slower, 50);
  const met = failures.length === 0 && figures.length === joins && median <= goalMs;
  console.table([
    {
      measure: 'admit → first frame on both sides',
      count: slower.length,
      'median ms': ms(median),
      'p95 ms': ms(percentile(slower, 95)),
      'min ms': ms(Math.min(...slower)),
      'max ms': ms(Math.max(...slower)),
      goal: `median ≤ ${goalMs} ms`,
      verdict: met ? 'ok' : 'MISSED',
    },
  ]);
  console.log('phases (median ms from admit, at each answer):');
  console.table([
    Object.fromEntries(
      phaseNames.map((name) => [
        name,
        ms(
          percentile(
            figures.map((f) => f.phases[name]),
            50,
          ),
        ),
      ]),
    ),
  ]);
  for (const failure of failures) console.log(`  failed: ${failure}`);
  return met;
}

async function main(): Promise<number> {
  const joins = readSetting('JOIN_BENCH_JOINS', 10, 1, 25);
  const goalMs = readSetting('JOIN_BENCH_GOAL_MS', 1500, 1, 60_000);
  if (typeof joins === 'string' || typeof goalMs === 'string') {
    console.error(
      `join bench: bad setting\n${[joins, goalMs].filter((s) => typeof s === 'string').join('\n')}`,
    );
    return 2;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'telemed-join-bench-'));
  let platform: RunningPlatform | undefined;
  let browser: LaunchedChromium | undefined;
  let callPage: { url: string; close(): Promise<void> } | undefined;
  try {
    console.log('starting the platform (the built services) and Chromium…');
    platform = await startPlatformOnFreePorts(
      dataDir,
      { LOG_LEVEL: 'warn' },
      {
        echo: (line) => process.stderr.write(`${line}\n`),
        onServiceDied: (service, code) => process.stderr.write(`${service} exited with ${code}\n`),
      },
    );
    callPage = await serveCallPage();
    browser = await launchChromium({ locale: 'en-GB' });
    const bench = new JoinBench(platform, browser, callPage.url);
    const figures: JoinFigures[] = [];
    const failures: string[] = [];
    for (const [index, consultation] of (await consultations(platform, joins)).entries()) {
      try {
        const measured = await bench.join(consultation);
        figures.push(measured);
        console.log(`join ${index + 1}: ${ms(measured.slower)} ms`);
      } catch (error) {
        failures.push(
          `join ${index + 1} (appointment ${consultation.appointment.id}): ${(error as Error).message}`,
        );
      }
    }
    return report(figures, failures, joins, goalMs) ? 0 : 1;
  } finally {
    await browser?.close();
    await callPage?.close();
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('join bench failed:', error);
    process.exit(1);
  },
);
