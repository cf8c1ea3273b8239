import { afterEach, describe, expect, it } from 'vitest';
import { platformForSuite } from '../testing/platformForSuite.js';
import { until } from '../testing/until.js';
import type { CallSample } from './callSamples.js';
import { FieldCall, labPlatformEnv } from './FieldCall.js';
import { linkProfiles } from './lab/LinkProfile.js';
import { labUnavailableReason } from './lab/labSupport.js';
import { ensureHubAddress } from './lab/NetworkLab.js';

const unavailable = labUnavailableReason();
if (unavailable) process.stderr.write(`[field] the weak-link browser tests are skipped: ${unavailable}\n`);

/** Frames the specialist decodes keep rising (by more than `more` within about three seconds). */
async function framesRising(call: FieldCall, more = 5): Promise<{ rising: boolean; last: CallSample }> {
  const before = await call.sample();
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const last = await call.sample();
  return { rising: (last.video?.framesDecoded ?? 0) > (before.video?.framesDecoded ?? 0) + more, last };
}

/**
 * Issue 22's weak links, in the network lab: the clinic doctor's Chromium in its own network namespace behind a
 * shaped veth, the specialist's next to the platform. Each asserts a behaviour with a generous limit; the targets
 * (how fast, how good) are `npm run bench:field`'s.
 */
describe.runIf(!unavailable)('the call on a weak link (network lab)', () => {
  const suite = platformForSuite('field', {
    env: async () => {
      await ensureHubAddress();
      return labPlatformEnv();
    },
  });
  let call: FieldCall | undefined;

  afterEach(async () => {
    await call?.close();
    call = undefined;
    expect(suite.died).toEqual([]);
  });

  it('at 384 kbps, 300 ms RTT and 5% loss the specialist still decodes the clinic at 640×360 or more', async () => {
    call = await FieldCall.start(suite.platform);
    await call.untilMediaFlows(45_000);
    await call.lab.shape(linkProfiles.kbit384);
    const seen = await until(
      () => call!.sample(),
      (s) =>
        (s.video?.frameWidth ?? 0) >= 640 &&
        (s.video?.frameHeight ?? 0) >= 360 &&
        (s.video?.framesPerSecond ?? 0) > 0,
      'the clinic’s video at 640×360 or more under 384 kbps/300 ms/5%',
      60_000,
      1_000,
    );
    process.stderr.write(
      `[field] 384 kbps: ${JSON.stringify(seen.video)} layers ${JSON.stringify(seen.layers)}\n`,
    );
    // And it keeps coming on the shaped link: frames rise again within a while. Not at once: right after the link
    // narrows from 1280×720 the layers step down (each switch waits for a key frame), and the clinic's uplink
    // guard may pause the camera for a few seconds while the estimate settles (seen once in CI).
    await until(
      () => framesRising(call!),
      (s) => s.rising,
      'the clinic’s video still decoded on the shaped link',
      45_000,
      0,
    );
  }, 120_000);

  it('at 150 kbps the clinic pauses its own video for its weak uplink while audio continues, both sides told why, and it comes back by itself once the link is clean', async () => {
    call = await FieldCall.start(suite.platform);
    await call.untilMediaFlows(45_000);
    const active = call;
    const weakLinkOf = (page: typeof active.clinicPage) =>
      page.evaluate(
        () =>
          (
            window as unknown as {
              callState(): { weakLink: { videoPausedBySender: string[]; uplinkVideoPaused: boolean } };
            }
          ).callState().weakLink,
      );
    await call.lab.shape(linkProfiles.kbit150);
    // The clinic's UplinkGuard pauses its camera for bandwidth (not the person's camera-off), and the specialist's
    // screen is told the reason for the clinic's video: the clinic's weak connection.
    await until(
      async () => ({
        clinic: await weakLinkOf(active.clinicPage),
        specialist: await weakLinkOf(active.specialistPage),
      }),
      (s) => s.clinic.uplinkVideoPaused && s.specialist.videoPausedBySender.includes(active.clinic.user.id),
      'the clinic’s video paused for its weak uplink, and the specialist told why (150 kbps/300 ms/10%)',
      60_000,
      1_000,
    );
    // Video stopped for the specialist while audio still arrives.
    await until(
      async () => {
        const audioBefore = (await active.sample()).audio.packetsReceived;
        const frames = await framesRising(active, 1);
        return {
          videoStopped: !frames.rising,
          audioPackets: frames.last.audio.packetsReceived - audioBefore,
          weakLink: await weakLinkOf(active.specialistPage),
        };
      },
      (s) => s.videoStopped && s.audioPackets > 10 && s.weakLink.videoPausedBySender.length > 0,
      'video paused for the specialist while audio still arrives',
      30_000,
      0,
    );
    await call.lab.shape(linkProfiles.clean);
    // Back by itself (a trial resume after the back-off, at most 30 s, or the estimate's recovery): frames rise,
    // and neither side shows the pause any more.
    await until(
      async () => ({
        ...(await framesRising(active)),
        clinic: await weakLinkOf(active.clinicPage),
        specialist: await weakLinkOf(active.specialistPage),
      }),
      (s) => s.rising && !s.clinic.uplinkVideoPaused && s.specialist.videoPausedBySender.length === 0,
      'video back once the link is clean, and the pause notice gone on both sides',
      75_000,
      0,
    );
  }, 210_000);

  it('after the clinic’s address changes mid-call, media from the clinic flows again by itself', async () => {
    call = await FieldCall.start(suite.platform);
    await call.untilMediaFlows(45_000);
    const from = call.lab.address;
    const switchedAt = Date.now();
    const to = await call.lab.switchAddress();
    expect(to).not.toBe(from);
    // Where the time went (the target, ≤ 5 s, is the bench's): the clinic's requests after the switch, and its
    // call's states, printed also when media does not come back.
    const requests = () => call!.clinicRequestsSince(switchedAt, /room:join|restart-ice|media:/);
    await call.untilMediaFlows(60_000).catch(async (error) => {
      const state = await call!.clinicPage.evaluate('window.callState()').catch(() => undefined);
      process.stderr.write(
        `[field] address ${from} → ${to}: no media; clinic requests ${JSON.stringify(await requests())}, ` +
          `call ${JSON.stringify(state)}\n`,
      );
      throw error;
    });
    const ms = Date.now() - switchedAt;
    const after = await requests();
    process.stderr.write(
      `[field] address ${from} → ${to}: media again after ${ms} ms (clinic: ${after.join(', ')})\n`,
    );
  }, 120_000);
});
