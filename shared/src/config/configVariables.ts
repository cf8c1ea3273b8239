import { z } from 'zod';

/** One environment variable: how it is parsed, its default, and the words a person needs to fix it. */
export interface ConfigVariable<T = unknown, AlwaysPresent extends boolean = boolean> {
  readonly schema: z.ZodType<T>;
  /** Whether the parsed value is always there: it has a default or is required. */
  readonly alwaysPresent: AlwaysPresent;
  /** Raw default, as it would be written in the environment; undefined means optional or required. */
  readonly default: string | undefined;
  readonly required: boolean;
  /** The expected form, quoted in the error a bad value gets. */
  readonly expected: string;
  readonly description: string;
}

function variable<T, const D extends string | undefined = undefined, const R extends boolean = false>(
  schema: z.ZodType<T>,
  spec: { default?: D; required?: R; expected: string; description: string },
): ConfigVariable<T, D extends string ? true : R> {
  return {
    schema,
    alwaysPresent: (spec.default !== undefined || spec.required === true) as D extends string ? true : R,
    default: spec.default,
    required: spec.required ?? false,
    expected: spec.expected,
    description: spec.description,
  };
}

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number)
    .refine((n) => n >= min && n <= max);
const port = wholeNumber(1, 65535);
const portExpected = 'a whole number from 1 to 65535';
const ipv4 = z.string().regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/);
const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u));
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Every environment variable the platform reads. The README's configuration table is this list. */
export const configVariables = {
  HOST: variable(ipv4, {
    default: '127.0.0.1',
    expected: 'an IPv4 address such as 127.0.0.1 or 0.0.0.0',
    description: 'Address the HTTP services listen on.',
  }),
  LOG_LEVEL: variable(z.enum(logLevels), {
    default: 'info',
    expected: `one of ${logLevels.join(', ')}`,
    description: 'Log verbosity (JSON lines on stdout).',
  }),
  DATA_DIR: variable(z.string().min(1), {
    default: '.data',
    expected: 'a directory path',
    description: 'Where the embedded store keeps its files and npm start keeps generated secrets.',
  }),
  MONGODB_URI: variable(z.string().regex(/^mongodb(\+srv)?:\/\/.+/), {
    expected: 'a MongoDB connection string such as mongodb://db1,db2/telemed?replicaSet=rs0',
    description:
      'A real MongoDB. Unset: npm start runs the embedded store and points the records service at it.',
  }),
  EMBEDDED_MONGO_PORT: variable(port, {
    default: '27017',
    expected: portExpected,
    description: 'Port of the embedded MongoDB-compatible store (used only when MONGODB_URI is unset).',
  }),
  RECORDS_PORT: variable(port, {
    default: '4000',
    expected: portExpected,
    description: 'Records service HTTP port.',
  }),
  RECORDS_WORKERS: variable(wholeNumber(1, 64), {
    default: '1',
    expected: 'a whole number from 1 to 64',
    description:
      'Records service processes sharing its port (node cluster). Set it to the number of cores on a busy server.',
  }),
  RECORDS_URL: variable(httpUrl, {
    default: 'http://127.0.0.1:4000',
    expected: 'an http(s) URL',
    description: 'Where the signaling server and the web apps reach the records service.',
  }),
  FHIR_PUBLIC_URL: variable(
    httpUrl.refine((u) => !/[?#]/.test(u)).transform((u) => u.replace(/\/+$/, '')),
    {
      expected: 'an http(s) URL without a query, e.g. https://fhir.hospital.example/records',
      description:
        "How a hospital's systems reach the records service (behind a reverse proxy): the token URL a client assertion names as aud, and the Bulk Data export's status and file URLs. Unset: each request's own origin.",
    },
  ),
  AUTH_SIGNING_KEY_FILE: variable(z.string().min(1), {
    expected: 'the path of an Ed25519 private key in PKCS#8 PEM form',
    description:
      'Key the records service signs access tokens with. Unset: one is generated once in DATA_DIR.',
  }),
  ACCESS_TOKEN_TTL_SECONDS: variable(wholeNumber(60, 3600), {
    default: '900',
    expected: 'a whole number of seconds from 60 to 3600',
    description: 'Lifetime of an access token; the apps refresh it silently.',
  }),
  REFRESH_TOKEN_TTL_HOURS: variable(wholeNumber(1, 720), {
    default: '12',
    expected: 'a whole number of hours from 1 to 720',
    description: 'Lifetime of a sign-in (the refresh token in its httpOnly cookie).',
  }),
  LOGIN_MAX_FAILURES: variable(wholeNumber(3, 20), {
    default: '5',
    expected: 'a whole number from 3 to 20',
    description: 'Failed sign-ins in a row after which an account is locked for a while.',
  }),
  LOGIN_LOCKOUT_MINUTES: variable(wholeNumber(1, 1440), {
    default: '15',
    expected: 'a whole number of minutes from 1 to 1440',
    description: 'How long a locked account stays locked.',
  }),
  FHIR_PUSH_URL: variable(httpUrl, {
    expected: 'the http(s) base URL of a FHIR R4 server, e.g. https://fhir.hospital.example/r4',
    description:
      "The hospital's FHIR server: each signed or amended consultation is pushed to it as a transaction Bundle (a durable outbox). Unset: nothing is queued or sent.",
  }),
  FHIR_PUSH_TOKEN: variable(z.string().min(1), {
    expected: 'a bearer token the FHIR server accepts',
    description:
      'Sent as `Authorization: Bearer …` with every push (optional; or FHIR_PUSH_USERNAME and _PASSWORD).',
  }),
  FHIR_PUSH_USERNAME: variable(z.string().min(1), {
    expected: 'a user name for HTTP basic authentication',
    description: 'With FHIR_PUSH_PASSWORD: HTTP basic authentication of the push (optional).',
  }),
  FHIR_PUSH_PASSWORD: variable(z.string().min(1), {
    expected: 'a password for HTTP basic authentication',
    description: 'With FHIR_PUSH_USERNAME: HTTP basic authentication of the push (optional).',
  }),
  SIGNALING_PORT: variable(port, {
    default: '4100',
    expected: portExpected,
    description: 'Signaling (Socket.IO) server port.',
  }),
  SIGNALING_URL: variable(httpUrl, {
    default: 'http://127.0.0.1:4100',
    expected: 'an http(s) URL',
    description: 'Where the web apps reach the signaling server.',
  }),
  SIGNALING_ACCOUNT_CHECK_SECONDS: variable(wholeNumber(1, 3600), {
    default: '10',
    expected: 'a whole number of seconds from 1 to 3600',
    description:
      'How often signaling re-checks connected users with records; a deactivated user is cut off within it.',
  }),
  SIGNALING_RECOVERY_SECONDS: variable(wholeNumber(1, 3600), {
    default: '120',
    expected: 'a whole number of seconds from 1 to 3600',
    description:
      'How long a dropped socket keeps its place in a room (Socket.IO connection state recovery); after it, the participant has left.',
  }),
  SIGNALING_GONE_GRACE_SECONDS: variable(wholeNumber(1, 3600), {
    default: '10',
    expected: 'a whole number of seconds from 1 to 3600',
    description:
      'With several nodes: how long a participant whose node was killed keeps its place in a room, for its socket to come back through another node; then it has left.',
  }),
  REDIS_URL: variable(z.string().regex(/^rediss?:\/\/[^\s]+$/), {
    expected: 'a redis:// or rediss:// URL such as redis://127.0.0.1:6379',
    description:
      'A Redis shared by several signaling nodes (Socket.IO adapter and rooms state). Unset: one signaling node, rooms in its memory.',
  }),
  SFU_PORT: variable(port, {
    default: '4200',
    expected: portExpected,
    description: 'SFU control API port (for the signaling server only; browsers never call it).',
  }),
  SFU_URL: variable(httpUrl, {
    default: 'http://127.0.0.1:4200',
    expected: 'an http(s) URL',
    description: 'Where the signaling server reaches the SFU control API.',
  }),
  SFU_URLS: variable(
    z
      .string()
      .transform((s) => s.split(',').map((u) => u.trim()))
      .pipe(z.array(httpUrl).min(1)),
    {
      expected:
        'comma-separated http(s) URLs of SFU control APIs, e.g. http://10.0.0.5:4200,http://10.0.0.6:4200',
      description:
        "The SFU nodes signaling spreads rooms over: each new room's router goes to the least-loaded one. Unset: SFU_URL alone.",
    },
  ),
  SFU_CONTROL_SECRET: variable(z.string().min(32), {
    required: true,
    expected: 'a random string of at least 32 characters (npm start generates one in DATA_DIR)',
    description: 'Shared secret between the signaling server and the SFU control API.',
  }),
  SFU_ENGINE: variable(z.enum(['auto', 'mediasoup', 'werift']), {
    default: 'auto',
    expected: 'one of auto, mediasoup, werift',
    description: 'Media engine. auto: mediasoup when its worker binary is present, else werift.',
  }),
  MEDIASOUP_WORKER_BIN: variable(z.string().min(1), {
    expected: 'the path of a mediasoup-worker binary',
    description: 'A mediasoup worker built or installed outside npm (optional).',
  }),
  SFU_LISTEN_IP: variable(ipv4, {
    default: '127.0.0.1',
    expected: 'an IPv4 address of this machine',
    description: 'Address the SFU binds its WebRTC (UDP) sockets to.',
  }),
  SFU_ANNOUNCED_IP: variable(ipv4, {
    expected: 'an IPv4 address',
    description: 'Public address announced in ICE candidates when the SFU is behind NAT (optional).',
  }),
  SFU_RTC_MIN_PORT: variable(port, {
    default: '40000',
    expected: portExpected,
    description: 'Lowest UDP port for WebRTC media.',
  }),
  SFU_RTC_MAX_PORT: variable(port, {
    default: '40999',
    expected: portExpected,
    description: 'Highest UDP port for WebRTC media.',
  }),
  SFU_MIN_VIDEO_BITRATE: variable(wholeNumber(10_000, 10_000_000), {
    default: '100000',
    expected: 'bits per second, a whole number from 10000 to 10000000',
    description:
      "Audio-only fallback: below this share of the receiver's bandwidth estimate a video consumer pauses (audio continues); it resumes at 1.5× held for 3 s.",
  }),
  SFU_INITIAL_OUTGOING_BITRATE: variable(wholeNumber(100_000, 100_000_000), {
    default: '1500000',
    expected: 'bits per second, a whole number from 100000 to 100000000',
    description:
      "Start value of each transport's outgoing bandwidth estimate, before the receiver's feedback: high enough for a well-connected receiver's top simulcast layer at once (mediasoup's own default, 600000, starts below it).",
  }),
  TURN_URLS: variable(
    z
      .string()
      .transform((s) => s.split(',').map((u) => u.trim()))
      .pipe(z.array(z.string().regex(/^turns?:[^\s]+$/)).min(1)),
    {
      expected: 'comma-separated turn: or turns: URLs, e.g. turn:turn.example.org:3478?transport=tcp',
      description: 'TURN servers handed to browsers for networks that block UDP (optional).',
    },
  ),
  TURN_SECRET: variable(z.string().min(16), {
    expected: 'the static-auth-secret of coturn, at least 16 characters',
    description: 'coturn REST-API secret used to mint short-lived TURN credentials (optional).',
  }),
  CLINIC_APP_PORT: variable(port, {
    default: '5173',
    expected: portExpected,
    description: 'Port serving the clinic web app.',
  }),
  SPECIALIST_APP_PORT: variable(port, {
    default: '5174',
    expected: portExpected,
    description: 'Port serving the specialist web app.',
  }),
  ADMIN_APP_PORT: variable(port, {
    default: '5175',
    expected: portExpected,
    description: 'Port serving the web app of administrators and auditors.',
  }),
} as const;

export type ConfigVariableName = keyof typeof configVariables;

/** The parsed configuration of a service: variables with a default or marked required are always present. */
export type Config<N extends ConfigVariableName> = {
  [P in N]: (typeof configVariables)[P] extends ConfigVariable<infer T, infer A>
    ? A extends true
      ? T
      : T | undefined
    : never;
};
