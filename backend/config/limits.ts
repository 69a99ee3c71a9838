// Per-token limits from the environment, pure: requests per minute, images per UTC day and a
// monthly USD budget, each with a global default and optional per-token overrides.
//
//   FRAMEFILL_RATE_LIMIT_RPM       requests per minute per token (default 60)
//   FRAMEFILL_DAILY_IMAGES         images per UTC day per token (default 500)
//   FRAMEFILL_MONTHLY_BUDGET_USD   USD per UTC month per token, e.g. 25 or 12.50 (default: none)
//   FRAMEFILL_LIMITS               per-token overrides: `name:key=value;key=value,name:…` with keys
//                                  rpm, images, budget — e.g. `alice:rpm=10;images=100;budget=25,bob:budget=5`.
//                                  Keys left out keep the global value; names must be in FRAMEFILL_TOKENS.
//
// Every value is a positive number or `none` (no limit). 0 is refused at start-up rather than
// read as "unlimited" or "blocked": both readings are plausible, and guessing wrong either
// stops a team or removes its spending cap. (To shut a token out, remove it from FRAMEFILL_TOKENS.)
import { ConfigError } from '../errors';

type Env = Record<string, string | undefined>;

export interface Limits {
  /** requests per minute; null = no limit */
  rpm: number | null;
  /** images per UTC day; null = no limit */
  dailyImages: number | null;
  /** monthly budget in micro-dollars (integer); null = no limit */
  monthlyBudgetMicros: number | null;
}

export interface LimitsConfig {
  defaults: Limits;
  /** only tokens with overrides; already merged with the defaults */
  perToken: Readonly<Record<string, Limits>>;
}

export const DEFAULT_RATE_LIMIT_RPM = 60;
export const DEFAULT_DAILY_IMAGES = 500;
const MAX_RPM = 1_000_000;
const MAX_DAILY_IMAGES = 10_000_000;
const MAX_BUDGET_USD = 1_000_000;


type Kind = 'rpm' | 'images' | 'budget';
const FIELD: Readonly<Record<Kind, keyof Limits>> = { rpm: 'rpm', images: 'dailyImages', budget: 'monthlyBudgetMicros' };

/** One value: a positive whole number (or dollar amount for budgets), or `none`. */
export function parseLimitValue(kind: Kind, raw: string, where: string): number | null {
  const value = raw.trim();
  if (value.toLowerCase() === 'none') return null;
  if (kind === 'budget') {
    const match = /^(\d{1,7})(?:\.(\d{1,6}))?$/.exec(value);
    if (!match) throw new ConfigError(`${where} must be a dollar amount such as 25 or 12.50, or none (got "${raw}").`);
    const micros = Number(match[1]) * 1_000_000 + Number((match[2] ?? '').padEnd(6, '0'));
    if (micros === 0) throw new ConfigError(`${where} is 0: use none for no budget, or remove the token from FRAMEFILL_TOKENS to shut it out.`);
    if (micros > MAX_BUDGET_USD * 1_000_000) throw new ConfigError(`${where} may be at most ${MAX_BUDGET_USD} (got "${raw}").`);
    return micros;
  }
  const max = kind === 'rpm' ? MAX_RPM : MAX_DAILY_IMAGES;
  if (!/^\d{1,8}$/.test(value)) throw new ConfigError(`${where} must be a whole number or none (got "${raw}").`);
  const n = Number(value);
  if (n === 0) throw new ConfigError(`${where} is 0: use none for no limit, or remove the token from FRAMEFILL_TOKENS to shut it out.`);
  if (n > max) throw new ConfigError(`${where} may be at most ${max} (got "${raw}").`);
  return n;
}

function globalValue(env: Env, name: string, kind: Kind, fallback: number | null): number | null {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  return parseLimitValue(kind, raw, name);
}

/** Parses FRAMEFILL_LIMITS against the defaults and the known token names. */
export function parseLimitOverrides(raw: string | undefined, defaults: Limits, tokenNames: readonly string[]): Record<string, Limits> {
  const out: Record<string, Limits> = {};
  const entries = (raw ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  entries.forEach((entry, i) => {
    const where = `FRAMEFILL_LIMITS entry ${i + 1}`;
    const colon = entry.indexOf(':');
    if (colon < 0) throw new ConfigError(`${where} ("${entry}") must look like name:rpm=10;images=100;budget=25.`);
    const name = entry.slice(0, colon).trim();
    if (!tokenNames.includes(name)) {
      throw new ConfigError(`${where} names "${name}", which is not a token in FRAMEFILL_TOKENS.`);
    }
    if (name in out) throw new ConfigError(`${where}: ${name} has limits twice; put all of them in one entry.`);
    const limits: Limits = { ...defaults };
    const seen = new Set<string>();
    const pairs = entry.slice(colon + 1).split(';').map((s) => s.trim()).filter((s) => s.length > 0);
    if (pairs.length === 0) throw new ConfigError(`${where} (${name}) sets nothing; add rpm=…, images=… or budget=….`);
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      const key = (eq < 0 ? pair : pair.slice(0, eq)).trim().toLowerCase();
      if (!(key in FIELD)) throw new ConfigError(`${where} (${name}): unknown limit "${key}"; use rpm, images or budget.`);
      if (eq < 0) throw new ConfigError(`${where} (${name}): ${key} needs a value, e.g. ${key}=10.`);
      if (seen.has(key)) throw new ConfigError(`${where} (${name}) sets ${key} twice.`);
      seen.add(key);
      const kind = key as Kind;
      limits[FIELD[kind]] = parseLimitValue(kind, pair.slice(eq + 1), `${where} (${name}) ${key}`);
    }
    out[name] = limits;
  });
  return out;
}

export function loadLimits(env: Env, tokenNames: readonly string[]): LimitsConfig {
  const defaults: Limits = {
    rpm: globalValue(env, 'FRAMEFILL_RATE_LIMIT_RPM', 'rpm', DEFAULT_RATE_LIMIT_RPM),
    dailyImages: globalValue(env, 'FRAMEFILL_DAILY_IMAGES', 'images', DEFAULT_DAILY_IMAGES),
    monthlyBudgetMicros: globalValue(env, 'FRAMEFILL_MONTHLY_BUDGET_USD', 'budget', null),
  };
  return { defaults, perToken: parseLimitOverrides(env.FRAMEFILL_LIMITS, defaults, tokenNames) };
}

export function limitsFor(config: LimitsConfig, tokenName: string): Limits {
  return config.perToken[tokenName] ?? config.defaults;
}
