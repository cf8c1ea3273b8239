import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { growHeapInLargeSteps, start as startEmbeddedMongo } from '@telemed/embedded-mongo';
import {
  type Config,
  type ConfigVariableName,
  configVariables,
  type DemoAccount,
  loadConfig,
  seedReportSchema,
} from '@telemed/shared';
import { ChildService } from './ChildService.js';
import { ensureSecrets } from './secrets.js';
import {
  ensureStoreCredentials,
  PLATFORM_DATABASE,
  servicesStoreUser,
  withStoreCredentials,
} from './storeCredentials.js';

const execFileAsync = promisify(execFile);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const allVariables = Object.keys(configVariables) as ConfigVariableName[];
export type PlatformConfig = Config<ConfigVariableName>;

export interface PlatformUrls {
  clinicApp: string;
  specialistApp: string;
  adminApp: string;
  records: string;
  signaling: string;
  sfu: string;
  mongo: string;
}

export interface RunningPlatform {
  config: PlatformConfig;
  urls: PlatformUrls;
  /** Accounts the first run seeded into the embedded store (empty with an external MongoDB). */
  demoAccounts: DemoAccount[];
  /** Where each service writes its log. */
  logDir: string;
  stop(): Promise<void>;
}

export interface StartPlatformOptions {
  env?: NodeJS.ProcessEnv;
  /** Called for warnings and errors the services print. */
  echo?: (line: string) => void;
  /** Called when a service dies on its own; the platform is being stopped when this runs. */
  onServiceDied?: (service: string, code: number | null, recentOutput: string[]) => void;
  healthTimeoutMs?: number;
}

/**
 * Starts the whole platform on embedded defaults: the embedded store (unless MONGODB_URI is set), records,
 * SFU, signaling and the three web apps, each but the store as its own process. Expects a prior `npm run build`.
 */
export async function startPlatform(options: StartPlatformOptions = {}): Promise<RunningPlatform> {
  const env = { ...(options.env ?? process.env) };
  const echo = options.echo ?? ((line: string) => process.stderr.write(`${line}\n`));
  const healthTimeoutMs = options.healthTimeoutMs ?? 60_000;

  // Validate what a person set before touching the disk, so a typo stops start-up with its own message.
  const checked = loadConfig(
    allVariables.filter((name) => name !== 'SFU_CONTROL_SECRET'),
    env,
  );
  const dataDir = resolve(checked.DATA_DIR);
  env.SFU_CONTROL_SECRET ||= ensureSecrets(dataDir).SFU_CONTROL_SECRET;
  const localHost = checked.HOST === '0.0.0.0' ? '127.0.0.1' : checked.HOST;
  env.RECORDS_URL ||= `http://${localHost}:${checked.RECORDS_PORT}`;
  env.SIGNALING_URL ||= `http://${localHost}:${checked.SIGNALING_PORT}`;
  env.SFU_URL ||= `http://${localHost}:${checked.SFU_PORT}`;

  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });

  const started: { stop(): Promise<void> }[] = [];
  // Once stopping (Ctrl-C reaches the children too), a child's exit is expected, not a death to report.
  let stopping = false;
  const stopAll = async () => {
    stopping = true;
    for (const service of started.splice(0).reverse()) await service.stop();
  };

  try {
    let mongoUrl: string;
    const external = Boolean(env.MONGODB_URI);
    if (external) {
      mongoUrl = env.MONGODB_URI as string;
    } else {
      // This process is the store's: the other services run in their own.
      growHeapInLargeSteps();
      // The store requires authentication. Its users are made current on every start (also in a store from a
      // version without auth): the operator's root, and the services' own user, which reaches their database only.
      const accounts = ensureStoreCredentials(dataDir);
      const mongo = await startEmbeddedMongo({
        port: checked.EMBEDDED_MONGO_PORT,
        dbpath: join(dataDir, 'mongo'),
        auth: accounts.root,
        users: [servicesStoreUser(accounts)],
      });
      started.push(mongo);
      mongoUrl = mongo.uri;
      env.MONGODB_URI = withStoreCredentials(withDatabase(mongo.uri, PLATFORM_DATABASE), accounts.services);
    }
    const config = loadConfig(allVariables, env);
    // The embedded store starts empty: fill it with demo data once. A real MongoDB is never seeded here.
    const demoAccounts = external ? [] : await seedIfEmpty(env);

    const node = process.execPath;
    const viteBin = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin/vite.js');
    const makeService = (name: string, args: string[], cwd: string, healthUrl: string) =>
      new ChildService({
        name,
        command: node,
        args,
        cwd,
        env: { ...env, NODE_ENV: env.NODE_ENV ?? 'production' },
        logFile: join(logDir, `${name}.log`),
        healthUrl,
        echo,
      });
    const services = {
      records: makeService('records', ['records/dist/main.js'], repoRoot, `${config.RECORDS_URL}/healthz`),
      sfu: makeService('sfu', ['sfu/dist/main.js'], repoRoot, `${config.SFU_URL}/healthz`),
      signaling: makeService(
        'signaling',
        ['signaling/dist/main.js'],
        repoRoot,
        `${config.SIGNALING_URL}/healthz`,
      ),
      clinicApp: makeService(
        'clinic-app',
        [viteBin, 'preview', '--logLevel', 'warn'],
        join(repoRoot, 'clinic-app'),
        `http://${localHost}:${config.CLINIC_APP_PORT}/healthz`,
      ),
      specialistApp: makeService(
        'specialist-app',
        [viteBin, 'preview', '--logLevel', 'warn'],
        join(repoRoot, 'specialist-app'),
        `http://${localHost}:${config.SPECIALIST_APP_PORT}/healthz`,
      ),
      adminApp: makeService(
        'admin-app',
        [viteBin, 'preview', '--logLevel', 'warn'],
        join(repoRoot, 'admin-app'),
        `http://${localHost}:${config.ADMIN_APP_PORT}/healthz`,
      ),
    };

    const onDied = (service: ChildService) => (code: number | null) => {
      if (stopping) return;
      options.onServiceDied?.(service.name, code, service.recentOutput);
      void stopAll();
    };
    // Records and the SFU first: signaling checks them, the apps proxy to records and signaling.
    for (const wave of [
      [services.records, services.sfu],
      [services.signaling],
      [services.clinicApp, services.specialistApp, services.adminApp],
    ]) {
      for (const service of wave) {
        service.start(onDied(service));
        started.push(service);
      }
      await Promise.all(wave.map((service) => service.waitHealthy(healthTimeoutMs)));
    }

    return {
      config,
      demoAccounts,
      logDir,
      urls: {
        clinicApp: `http://localhost:${config.CLINIC_APP_PORT}`,
        specialistApp: `http://localhost:${config.SPECIALIST_APP_PORT}`,
        adminApp: `http://localhost:${config.ADMIN_APP_PORT}`,
        records: config.RECORDS_URL,
        signaling: config.SIGNALING_URL,
        sfu: config.SFU_URL,
        mongo: redactCredentials(mongoUrl),
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Runs the records seed as a child process; asynchronously, since the embedded store answers from this one. */
async function seedIfEmpty(env: NodeJS.ProcessEnv): Promise<DemoAccount[]> {
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(process.execPath, ['records/dist/seed.js', '--if-empty'], {
      cwd: repoRoot,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    }));
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`seeding demo data failed: ${stderr || (error as Error).message}`);
  }
  const lastLine = stdout.trim().split('\n').at(-1) ?? '{}';
  const report = seedReportSchema.safeParse(JSON.parse(lastLine));
  if (!report.success) throw new Error(`the seed printed an unexpected report: ${lastLine.slice(0, 200)}`);
  return report.data.accounts;
}

function withDatabase(uri: string, database: string): string {
  const url = new URL(uri);
  if (url.pathname === '' || url.pathname === '/') url.pathname = `/${database}`;
  return url.toString();
}

function redactCredentials(uri: string): string {
  return uri.replace(/\/\/[^@/]+@/, '//***@');
}
