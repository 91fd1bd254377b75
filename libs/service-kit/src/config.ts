/**
 * Configuration read from the environment and validated at start-up: a missing or invalid
 * variable stops the process with one clear line naming it (see `loadConfigOrExit`).
 */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

export interface VarSpec<T> {
  description: string;
  /** Used when the variable is unset or empty; omit to make the variable required. */
  default?: string;
  parse: (raw: string) => T;
}

export type ConfigSpec = Record<string, VarSpec<unknown>>;
export type ConfigOf<S extends ConfigSpec> = { [K in keyof S]: S[K] extends VarSpec<infer T> ? T : never };

export const parsers = {
  string: (raw: string) => raw,
  int:
    (min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) =>
    (raw: string) => {
      if (!/^-?\d+$/.test(raw.trim())) throw new Error(`must be an integer, got "${raw}"`);
      const value = Number(raw);
      if (value < min || value > max) throw new Error(`must be between ${min} and ${max}, got ${value}`);
      return value;
    },
  port: (raw: string) => parsers.int(0, 65535)(raw),
  bool: (raw: string) => {
    const v = raw.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    throw new Error(`must be true or false, got "${raw}"`);
  },
  oneOf:
    <T extends string>(...values: T[]) =>
    (raw: string): T => {
      if (!values.includes(raw as T)) throw new Error(`must be one of ${values.join(', ')}, got "${raw}"`);
      return raw as T;
    },
  url:
    (...protocols: string[]) =>
    (raw: string) => {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw new Error(`must be a URL, got "${raw}"`);
      }
      if (protocols.length && !protocols.includes(url.protocol.replace(/:$/, ''))) {
        throw new Error(`must be a ${protocols.join(' or ')} URL, got "${url.protocol}"`);
      }
      return raw;
    },
  /** Comma-separated `host:port` list. */
  brokers: (raw: string) => {
    const list = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!list.length) throw new Error('must list at least one host:port');
    for (const b of list) if (!/^[^\s:]+:\d+$/.test(b)) throw new Error(`"${b}" is not host:port`);
    return list;
  },
};

export function loadConfig<S extends ConfigSpec>(spec: S, env: NodeJS.ProcessEnv = process.env): ConfigOf<S> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(spec)) {
    const raw = env[name];
    const value = raw === undefined || raw === '' ? v.default : raw;
    if (value === undefined) throw new ConfigError(name, `is required (${v.description})`);
    try {
      out[name] = v.parse(value);
    } catch (e) {
      throw new ConfigError(name, (e as Error).message);
    }
  }
  return out as ConfigOf<S>;
}

/** As `loadConfig`, but prints one line naming the variable and exits 1 on a bad configuration. */
export function loadConfigOrExit<S extends ConfigSpec>(service: string, spec: S, env: NodeJS.ProcessEnv = process.env): ConfigOf<S> {
  try {
    return loadConfig(spec, env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${service}: configuration error: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}

/** Markdown rows (`| VAR | default | description |`) for the README's table. */
export function describeConfig(spec: ConfigSpec): string[] {
  return Object.entries(spec).map(([k, v]) => `| \`${k}\` | ${v.default === undefined ? '(required)' : `\`${v.default}\``} | ${v.description} |`);
}
