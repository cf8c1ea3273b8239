import { type ServiceNode, sfuControlSecret, startServiceNode } from './serviceNode.js';

/** An SFU process beside the platform's own: a second node for `SFU_URLS`. */
export type SfuNodeProcess = ServiceNode;

/**
 * `sfu/dist/main.js` on a control port of its own and the UDP ports `rtcMin` to `rtcMin + rtcPortCount`, with
 * the control secret `npm start` generated in `dataDir` (so signaling may call it), ready when `/healthz` answers.
 * `freePorts` hands out TCP ports only, so the caller keeps the UDP ranges of its nodes apart.
 */
export function startSfuNode(
  dataDir: string,
  rtcMin: number,
  rtcPortCount = 100,
  { host }: { host?: string } = {},
): Promise<SfuNodeProcess> {
  return startServiceNode({
    main: 'sfu/dist/main.js',
    ...(host ? { host } : {}),
    env: (port) => ({
      // Its ICE candidates carry the address it listens on.
      ...(host ? { SFU_LISTEN_IP: host } : {}),
      SFU_PORT: String(port),
      SFU_RTC_MIN_PORT: String(rtcMin),
      SFU_RTC_MAX_PORT: String(Math.min(65535, rtcMin + rtcPortCount)),
      SFU_CONTROL_SECRET: sfuControlSecret(dataDir),
    }),
    readyPath: '/healthz',
    what: 'an extra SFU node',
  });
}
