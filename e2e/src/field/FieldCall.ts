import { type LaunchedChromium, launchChromium } from '@telemed/browser-testing';
import type { RunningPlatform } from '@telemed/launcher';
import type { SessionResponse } from '@telemed/shared';
import type { BrowserContext, Page } from 'playwright-core';
import { bookNextFreeAppointment, scheduledAppointments, signInDemoRole } from '../testing/demoSessions.js';
import { recordPeerConnections } from '../testing/peerConnectionStats.js';
import { serveCallPage } from '../testing/serveCallPage.js';
import { until } from '../testing/until.js';
import { type CallSample, readInbound, readOutboundLayers } from './callSamples.js';
import { HubForward } from './lab/HubForward.js';
import { NamespacedChromium } from './lab/NamespacedChromium.js';
import { hubAddress, NetworkLab } from './lab/NetworkLab.js';

/**
 * The platform's environment for a lab: every service listens on the hub address, which the namespaces reach
 * through their veths and the root namespace has locally; the SFU's ICE candidates carry it too.
 */
export function labPlatformEnv(): Record<string, string> {
  return { HOST: hubAddress, SFU_LISTEN_IP: hubAddress };
}

/**
 * A consultation through the call test page (the real web-ui `CallClient`): the clinic doctor's Chromium in its
 * own network namespace behind a shaped link, the specialist's Chromium in the root namespace next to the
 * platform. The test page is used rather than the apps' screens because the bench restarts calls many times and
 * reads `getStats()` every second; the media path (CallClient, CallMedia, signaling, the SFU) is the apps' own.
 */
export class FieldCall {
  private constructor(
    readonly lab: NetworkLab,
    private readonly clinicBrowser: NamespacedChromium,
    private readonly specialistBrowser: LaunchedChromium,
    private readonly page: { close(): Promise<void> },
    private readonly forward: HubForward,
    readonly clinicPage: Page,
    readonly specialistPage: Page,
    readonly clinic: SessionResponse,
    readonly specialist: SessionResponse,
    readonly appointmentId: string,
  ) {}

  /**
   * Signs both in, opens the call of the first appointment still scheduled between them on both sides and admits the clinic. Everything
   * it made is closed again if a step fails.
   */
  static async start(
    platform: RunningPlatform,
    options: {
      appointmentIndex?: number;
      prepare?: (lab: NetworkLab) => Promise<void>;
      /** Where each side's socket goes (the platform's node by default); the clinic may have fallbacks. */
      signaling?: { clinic: string; clinicFallbacks?: string[]; specialist: string };
    } = {},
  ): Promise<FieldCall> {
    const appointmentIndex = options.appointmentIndex ?? 0;
    const step = (what: string) => process.env.FIELD_DEBUG && process.stderr.write(`[field] ${what}\n`);
    const opened: Array<{ close(): Promise<void> } | { destroy(): Promise<void> }> = [];
    try {
      const clinic = await signInDemoRole(platform, 'clinic_doctor');
      const specialist = await signInDemoRole(platform, 'specialist');
      const appointments = await scheduledAppointments(platform, clinic, specialist);
      // A run of many calls uses up the seeded week (each call leaves its appointment no longer scheduled).
      const appointment =
        appointments[appointmentIndex] ?? (await bookNextFreeAppointment(platform, clinic, specialist));
      const lab = await NetworkLab.create();
      opened.push(lab);
      step(`lab ${lab.namespace}`);
      await options.prepare?.(lab);
      const page = await serveCallPage();
      opened.push(page);
      const forward = await HubForward.to(page.url);
      opened.push(forward);
      const clinicBrowser = await NamespacedChromium.launch(lab.namespace, {
        secureOrigins: [forward.origin],
      });
      opened.push(clinicBrowser);
      const specialistBrowser = await launchChromium({ locale: 'en-GB' });
      opened.push(specialistBrowser);
      step('browsers');
      const signalingUrl = `http://${hubAddress}:${platform.config.SIGNALING_PORT}`;
      const clinicPage = await openCall(
        clinicBrowser.context,
        forward.url,
        options.signaling?.clinic ?? signalingUrl,
        clinic,
        appointment.id,
        options.signaling?.clinicFallbacks,
      );
      const specialistPage = await openCall(
        specialistBrowser.context,
        page.url,
        options.signaling?.specialist ?? signalingUrl,
        specialist,
        appointment.id,
      );
      step('pages open');
      await specialistPage.evaluate(
        (id) => (window as unknown as { admit(id: string): Promise<void> }).admit(id),
        clinic.user.id,
      );
      await until(
        () => clinicPage.evaluate('window.callState().state') as Promise<string>,
        (state) => state === 'connected',
        'the clinic connected to the call',
        60_000,
      );
      return new FieldCall(
        lab,
        clinicBrowser,
        specialistBrowser,
        page,
        forward,
        clinicPage,
        specialistPage,
        clinic,
        specialist,
        appointment.id,
      );
    } catch (error) {
      step(`failed: ${(error as Error).message}`);
      await closeAll(opened);
      throw error;
    }
  }

  async sample(): Promise<CallSample> {
    const [inbound, layers] = await Promise.all([
      this.specialistPage.evaluate(readInbound),
      this.clinicPage.evaluate(readOutboundLayers).catch(() => []),
    ]);
    return { at: Date.now(), ...inbound, layers };
  }

  /** Samples once a second for `ms`. */
  async sampleFor(ms: number, onSample?: (sample: CallSample) => void): Promise<CallSample[]> {
    const samples: CallSample[] = [];
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const sample = await this.sample();
      samples.push(sample);
      onSample?.(sample);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1_000 - (Date.now() - sample.at))));
    }
    return samples;
  }

  /**
   * Waits until the specialist decodes new video and audio from the clinic again (frames and audio packets rising
   * beyond what they were when called), and answers how long that took.
   */
  async untilMediaFlows(waitMs: number): Promise<number> {
    const started = Date.now();
    let before = await this.sample();
    await until(
      () => this.sample(),
      (now) => {
        // Consumers made anew (the transports re-created) count from zero: measure from their first sample.
        if (now.video?.id !== before.video?.id || now.audio.packetsReceived < before.audio.packetsReceived) {
          before = now;
          return false;
        }
        return (
          (now.video?.framesDecoded ?? 0) > (before.video?.framesDecoded ?? 0) + 5 &&
          now.audio.packetsReceived > before.audio.packetsReceived + 10
        );
      },
      'media from the clinic flowing at the specialist',
      waitMs,
      100,
    );
    return Date.now() - started;
  }

  /**
   * The clinic's call requests sent since `since` (epoch ms) whose name matches `pattern`, as `+ms name`: where a
   * recovery's time went (its first `room:join` or `media:restart-ice`, the `media:produce` that follow).
   */
  async clinicRequestsSince(
    since: number,
    pattern = /room:join|restart-ice|media:produce/,
  ): Promise<string[]> {
    const marks = await this.clinicPage.evaluate(
      () =>
        (window as unknown as { timeline(): { marks: Array<{ what: string; at: number }> } }).timeline()
          .marks,
    );
    return marks
      .filter((mark) => mark.at >= since && pattern.test(mark.what))
      .map((mark) => `+${Math.round(mark.at - since)} ${mark.what}`);
  }

  async close(): Promise<void> {
    // In the order made, undone last first: the browsers before the forward, the lab (their network) last.
    await closeAll([this.lab, this.page, this.forward, this.clinicBrowser, this.specialistBrowser]);
  }
}

async function openCall(
  context: BrowserContext,
  url: string,
  signalingUrl: string,
  session: SessionResponse,
  appointmentId: string,
  fallbackUrls?: string[],
): Promise<Page> {
  await context.addInitScript(recordPeerConnections);
  const page = await context.newPage();
  page.on('pageerror', (e) => process.stderr.write(`[field ${session.user.role}] ${e.message}\n`));
  await page.goto(url);
  await page.evaluate(
    (options) => (window as unknown as { startCall(o: unknown): Promise<void> }).startCall(options),
    {
      signalingUrl,
      ...(fallbackUrls ? { fallbackUrls } : {}),
      accessToken: session.accessToken,
      selfId: session.user.id,
      appointmentId,
    },
  );
  return page;
}

async function closeAll(
  opened: Array<{ close(): Promise<void> } | { destroy(): Promise<void> }>,
): Promise<void> {
  for (const item of [...opened].reverse()) {
    await ('close' in item ? item.close() : item.destroy()).catch((error) =>
      process.stderr.write(`[field] clean-up: ${(error as Error).message}\n`),
    );
  }
}
