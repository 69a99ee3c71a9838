// Why a message was rejected, in zod's English (zod/v4/locales/en.js), for the issues the message
// schemas can raise. zod/mini carries no texts, and its whole English locale would add ~3 KB to
// both bundles for the one place that shows them: the channel's rejection log.
// plugin/issue-text.test.ts holds these texts to zod's own.
import type { core } from 'zod/mini';

const units: Partial<Record<string, string>> = { string: 'characters', array: 'items' };

/** A zod error map: what went wrong with one value. */
export function issueText(issue: core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `Invalid input: expected ${issue.expected}, received ${received(issue.input)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `Invalid input: expected ${primitive(issue.values[0])}`
        : `Invalid option: expected one of ${issue.values.map(primitive).join('|')}`;
    case 'too_big':
      return bound('Too big', issue.origin, issue.exact ? 'exactly ' : issue.inclusive ? '<=' : '<', issue.maximum);
    case 'too_small':
      return bound('Too small', issue.origin, issue.exact ? 'exactly ' : issue.inclusive ? '>=' : '>', issue.minimum);
    case 'invalid_union': {
      // set by a discriminated union whose discriminator matched no option
      const options = issue.options as readonly unknown[] | undefined;
      return options?.length ? `Invalid discriminator value. Expected ${options.map((o) => `'${String(o)}'`).join(' | ')}` : 'Invalid input';
    }
    default:
      return 'Invalid input';
  }
}

// zod/mini's `util` namespace would come whole into the bundles; these two are zod's util.parsedType
// and util.stringifyPrimitive as the English texts use them.
function received(input: unknown): string {
  if (typeof input === 'number') return Number.isNaN(input) ? 'NaN' : String(Number.isFinite(input) ? 'number' : input);
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  if (typeof input === 'object' && Object.getPrototypeOf(input) !== Object.prototype && 'constructor' in input && input.constructor) return (input.constructor as { name: string }).name;
  return typeof input;
}

function primitive(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  return typeof value === 'string' ? `"${value}"` : String(value);
}

function bound(what: string, origin: string, relation: string, limit: number | bigint): string {
  const unit = units[origin];
  return unit ? `${what}: expected ${origin} to have ${relation}${limit} ${unit}` : `${what}: expected ${origin} to be ${relation}${limit}`;
}
