import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatformOnFreePorts } from '@telemed/launcher';
import { readSelectedCandidateTypes } from './callSamples.js';
import { FieldCall, labPlatformEnv } from './FieldCall.js';
import { figuresOf, type ProfileFigures } from './fieldStats.js';
import { KillCluster } from './KillCluster.js';
import { type KillRow, sfuKilled, signalingKilled } from './killScenarios.js';
import { CoturnServer } from './lab/CoturnServer.js';
import { describeProfile, type LinkProfile, linkProfiles } from './lab/LinkProfile.js';
import { labUnavailableReason } from './lab/labSupport.js';
import { ensureHubAddress, type NetworkLab, sweepStaleLabs } from './lab/NetworkLab.js';

/**
 * `npm run bench:field`: the call under each network of issue 22, one row per scenario, and a non-zero exit when a
 * row misses its target. FIELD_SECONDS: how long each profile is measured (default 30); FIELD_PROFILES: which
 * rows (comma-separated keys below; default all).
 */
interface Row {
  profile: string;
  figures?: ProfileFigures;
  recoveryMs?: number;
  target: string;
  verdict: 'PASS' | 'MISS';
  note?: string;
}

type Scenario = (call: FieldCall, seconds: number) => Promise<Omit<Row, 'profile'>>;

/** A scenario and what the lab needs before the browsers start (the UDP block must be there from the first packet). */
interface ScenarioSpec {
  name: string;
  run: Scenario;
  prepare?: (lab: NetworkLab) => Promise<void>;
}

const videoAtLeast360 =
  (profile: LinkProfile): Scenario =>
  async (call, seconds) => {
    await call.lab.shape(profile);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const figures = figuresOf(await call.sampleFor(seconds * 1_000));
    const ok = figures.medianHeight >= 360 && figures.medianWidth >= 640 && figures.concealment < 0.1;
    return { figures, target: 'median ≥ 640×360, concealment < 10%', verdict: ok ? 'PASS' : 'MISS' };
  };

const scenarios: Record<string, ScenarioSpec> = {
  clean: { name: 'clean', run: videoAtLeast360(linkProfiles.clean) },
  mbit1: { name: linkProfiles.mbit1.name, run: videoAtLeast360(linkProfiles.mbit1) },
  kbit384: { name: linkProfiles.kbit384.name, run: videoAtLeast360(linkProfiles.kbit384) },
  kbit150: {
    name: linkProfiles.kbit150.name,
    async run(call, seconds) {
      await call.lab.shape(linkProfiles.kbit150);
      await new Promise((resolve) => setTimeout(resolve, 8_000));
      const figures = figuresOf(await call.sampleFor(seconds * 1_000));
      // Audio-only: video paused for the specialist (frames stop), audio continues.
      const ok = figures.medianFps === 0 && figures.audioPackets > seconds * 10 && figures.concealment < 0.25;
      return {
        figures,
        target: 'video paused, audio flows, concealment < 25%',
        verdict: ok ? 'PASS' : 'MISS',
      };
    },
  },
  udp: {
    name: 'UDP blocked',
    prepare: (lab) => lab.blockUdp(),
    // Reaching here means the call connected (over coturn, TCP): the row measures the video that came through.
    async run(call, seconds) {
      const figures = figuresOf(await call.sampleFor(seconds * 1_000));
      const paths = await call.clinicPage.evaluate(readSelectedCandidateTypes);
      const relayed = paths.length > 0 && paths.every((path) => path.startsWith('relay/'));
      const ok = relayed && figures.framesDecoded > 0 && figures.concealment < 0.1;
      return {
        figures,
        target: 'connects via TURN/TCP, media flows',
        verdict: ok ? 'PASS' : 'MISS',
        note: `clinic's paths: ${paths.join(', ') || 'none'}`,
      };
    },
  },
  switch: {
    name: 'address switch',
    async run(call, seconds) {
      await call.sampleFor(Math.min(seconds, 10) * 1_000);
      const switchedAt = Date.now();
      await call.lab.switchAddress();
      const recoveryMs = await call
        .untilMediaFlows(30_000)
        .then(() => Date.now() - switchedAt)
        .catch(() => undefined);
      const steps = (await call.clinicRequestsSince(switchedAt)).slice(0, 4).join(', ');
      const figures = figuresOf(await call.sampleFor(Math.min(seconds, 10) * 1_000));
      const ok = recoveryMs !== undefined && recoveryMs <= 5_000;
      return {
        figures,
        note: `${recoveryMs === undefined ? 'media did not flow again within 30 s; ' : ''}clinic: ${steps || 'no request'}`,
        ...(recoveryMs === undefined ? {} : { recoveryMs }),
        target: 'media again ≤ 5 s',
        verdict: ok ? 'PASS' : 'MISS',
      };
    },
  },
};

/**
 * The kill rows, each on a platform of its own (`KillCluster`: two SFU nodes and two signaling nodes behind a
 * Redis, whose processes the bench holds), made for the row and stopped after it: a node killed stays dead.
 */
const killScenarios: Record<
  string,
  {
    name: string;
    run: (call: FieldCall, seconds: number, cluster: KillCluster) => Promise<KillRow>;
    signaling: (cluster: KillCluster) => { clinic: string; clinicFallbacks?: string[]; specialist: string };
  }
> = {
  sfukill: {
    name: 'SFU killed',
    run: sfuKilled,
    signaling: (cluster) => ({
      clinic: cluster.platformSignalingUrl,
      specialist: cluster.platformSignalingUrl,
    }),
  },
  sigkill: {
    name: 'signaling killed',
    run: signalingKilled,
    // The clinic on the node to be killed, the platform's as its fallback; the specialist on the platform's.
    signaling: (cluster) => ({
      clinic: cluster.signaling.url,
      clinicFallbacks: [cluster.platformSignalingUrl],
      specialist: cluster.platformSignalingUrl,
    }),
  },
};

const seconds = Number(process.env.FIELD_SECONDS ?? 30);
const wanted = (
  process.env.FIELD_PROFILES ?? [...Object.keys(scenarios), ...Object.keys(killScenarios)].join(',')
)
  .split(',')
  .map((key) => key.trim())
  .filter(Boolean);

async function main(): Promise<number> {
  const unavailable = labUnavailableReason();
  if (unavailable) {
    process.stderr.write(`bench:field cannot run: ${unavailable}\n`);
    return 2;
  }
  await sweepStaleLabs();
  await ensureHubAddress();
  const dataDir = mkdtempSync(join(tmpdir(), 'telemed-bench-field-'));
  // The shared platform (and coturn) only when a row other than the kill rows, which bring their own, wants it.
  const shared = wanted.some((key) => !killScenarios[key]);
  const coturn = shared ? await CoturnServer.start() : undefined;
  const platform = shared
    ? await startPlatformOnFreePorts(dataDir, {
        LOG_LEVEL: 'warn',
        ...labPlatformEnv(),
        ...coturn?.platformEnv,
      }).catch(async (error) => {
        await coturn?.stop();
        throw error;
      })
    : undefined;
  const rows: Row[] = [];
  let fidelityDelay = true;
  let call: FieldCall | undefined;
  let cluster: KillCluster | undefined;
  // Ctrl-C (or a CI timeout's SIGTERM) still removes the namespace and stops the platform.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void (async () => {
        await call?.close();
        await cluster?.stop();
        await platform?.stop();
        await coturn?.stop();
        rmSync(dataDir, { recursive: true, force: true });
        process.exit(130);
      })();
    });
  }
  /** Runs one row on a call `start` makes; a failure is the row's MISS with its reason, and the call is closed. */
  const measure = async (
    name: string,
    start: () => Promise<FieldCall>,
    run: (call: FieldCall) => Promise<Omit<Row, 'profile'>>,
  ): Promise<void> => {
    process.stderr.write(`[bench:field] ${name}…\n`);
    try {
      call = await start();
      await call.untilMediaFlows(60_000);
      const row = await run(call);
      fidelityDelay &&= call.lab.fidelity.delay;
      rows.push({ profile: name, ...row });
    } catch (error) {
      rows.push({ profile: name, target: '', verdict: 'MISS', note: (error as Error).message.slice(0, 160) });
    } finally {
      await call?.close();
      call = undefined;
    }
  };
  try {
    for (const key of wanted) {
      const kill = killScenarios[key];
      if (kill) {
        try {
          await measure(
            kill.name,
            async () => {
              cluster = await KillCluster.start();
              return FieldCall.start(cluster.platform, { signaling: kill.signaling(cluster) });
            },
            (active) => kill.run(active, seconds, cluster!),
          );
        } finally {
          await cluster?.stop();
          cluster = undefined;
        }
        continue;
      }
      if (!platform) throw new Error('no shared platform');
      const scenario = scenarios[key];
      if (!scenario) throw new Error(`FIELD_PROFILES: no profile "${key}"`);
      await measure(
        scenario.name,
        // Each call takes the first appointment still scheduled: a call that ends leaves its appointment no longer so.
        () => FieldCall.start(platform, scenario.prepare ? { prepare: scenario.prepare } : {}),
        (active) => scenario.run(active, seconds),
      );
    }
  } finally {
    await platform?.stop();
    await coturn?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  printTable(rows, fidelityDelay);
  return rows.every((row) => row.verdict === 'PASS') ? 0 : 1;
}

function printTable(rows: Row[], delayEmulated: boolean): void {
  const resolution = (w: number, h: number) => (h ? `${w}×${h}` : 'paused');
  const lines = [
    '| profile | median res | p10 res | median fps | p10 fps | freezes | freeze s | audio concealed | recovery | target | result |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const f = row.figures;
    lines.push(
      `| ${row.profile} | ${f ? resolution(f.medianWidth, f.medianHeight) : '–'} | ${f ? resolution(f.p10Width, f.p10Height) : '–'} | ${f ? f.medianFps.toFixed(0) : '–'} | ${f ? f.p10Fps.toFixed(0) : '–'} | ${f?.freezes ?? '–'} | ${f ? f.freezeSeconds.toFixed(1) : '–'} | ${f ? `${(f.concealment * 100).toFixed(1)}%` : '–'} | ${row.recoveryMs !== undefined ? `${(row.recoveryMs / 1000).toFixed(1)} s` : '–'} | ${row.target} | ${row.verdict}${row.note ? ` (${row.note})` : ''} |`,
    );
  }
  process.stdout.write(`\nbench:field, ${seconds} s per profile\n${lines.join('\n')}\n`);
  if (!delayEmulated) {
    process.stdout.write(
      'Note: this kernel has no sch_netem: rate (tbf) and loss (nft numgen) are emulated, the added delay is not.\n',
    );
  }
  for (const [key, p] of Object.entries(linkProfiles))
    process.stdout.write(`  ${key}: ${describeProfile(p)}\n`);
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`bench:field failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
