import { type Config, type ConfigVariableName, configVariables } from './configVariables.js';

/** Start-up stops with this when a variable is missing or malformed; its message names every bad variable. */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Reads and validates the named variables from `env`; throws ConfigError listing every problem at once. */
export function loadConfig<N extends ConfigVariableName>(
  names: readonly N[],
  env: Record<string, string | undefined> = process.env,
): Config<N> {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const name of names) {
    const spec = configVariables[name];
    const raw = env[name] === '' ? undefined : env[name];
    const text = raw ?? spec.default;
    if (text === undefined) {
      if (spec.required) problems.push(`${name} is required: expected ${spec.expected}.`);
      values[name] = undefined;
      continue;
    }
    const parsed = spec.schema.safeParse(text);
    if (parsed.success) {
      values[name] = parsed.data;
    } else {
      const shown = name.includes('SECRET') ? '(hidden)' : JSON.stringify(text);
      problems.push(`${name}=${shown} is not valid: expected ${spec.expected}.`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return values as Config<N>;
}

/** Entry points call this: a bad configuration prints its problems and exits with code 78 (EX_CONFIG). */
export function loadConfigOrExit<N extends ConfigVariableName>(
  names: readonly N[],
  env: Record<string, string | undefined> = process.env,
): Config<N> {
  try {
    return loadConfig(names, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}
