// The request fields generations and edits share, as zod schemas, and the one place zod issues
// become OpenAI-style 400s whose message and `param` name the field.
import * as z from 'zod';
import { MAX_PARTIAL_IMAGES, MAX_PROMPT_CHARS } from '../contract';
import { type HttpError, invalidRequest, promptTooLong } from '../errors';
import { findModel, takesQuality, type ModelInfo } from '../models';
import { parseSize, sizeProblem } from '../size-rules';

/** Every quality of the family; which of them a model takes is checked per model (checkCombinations). */
export const QUALITIES = ['low', 'medium', 'high', 'xhigh', 'max', 'auto'] as const;
export const OUTPUT_FORMATS = ['png', 'jpeg', 'webp'] as const;
export const BACKGROUNDS = ['auto', 'opaque', 'transparent'] as const;
export const MODERATIONS = ['auto', 'low'] as const;
export const INPUT_FIDELITIES = ['high', 'low'] as const;
export const MAX_N = 10;
export const MAX_USER_CHARS = 256;

export type Quality = (typeof QUALITIES)[number];
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export type Background = (typeof BACKGROUNDS)[number];

/** What each field accepts, in words, for error messages. */
export const FIELD_RULES: Readonly<Record<string, string>> = {
  prompt: `a text of 1 to ${MAX_PROMPT_CHARS.toLocaleString('en-US')} characters`,
  model: 'a model name',
  n: `a whole number from 1 to ${MAX_N}`,
  size: "'auto' or WIDTHxHEIGHT such as '1536x1024'",
  quality: oneOf(QUALITIES),
  output_format: oneOf(OUTPUT_FORMATS),
  output_compression: 'a whole number from 0 to 100',
  background: oneOf(BACKGROUNDS),
  moderation: oneOf(MODERATIONS),
  input_fidelity: oneOf(INPUT_FIDELITIES),
  partial_images: `a whole number from 0 to ${MAX_PARTIAL_IMAGES}`,
  stream: 'true or false',
  user: `a text of at most ${MAX_USER_CHARS} characters`,
  response_format: "'b64_json' (GPT image models always return base64)",
};

function oneOf(values: readonly string[]): string {
  return `one of ${values.map((v) => `'${v}'`).join(', ')}`;
}

const int = (min: number, max: number) => z.number().int().min(min).max(max).nullish();

/** Fields common to generations and edits. `null` means "not given", as in OpenAI's API. */
export const commonFields = {
  prompt: z.string().refine((p) => p.trim().length > 0, { params: { rule: 'empty' } }).refine((p) => codePoints(p) <= MAX_PROMPT_CHARS, {
    params: { rule: 'too_long' },
  }),
  model: z.string().nullish(),
  n: int(1, MAX_N),
  size: z.string().nullish(),
  quality: z.enum(QUALITIES).nullish(),
  output_format: z.enum(OUTPUT_FORMATS).nullish(),
  output_compression: int(0, 100),
  background: z.enum(BACKGROUNDS).nullish(),
  partial_images: int(0, MAX_PARTIAL_IMAGES),
  stream: z.boolean().nullish(),
  user: z.string().max(MAX_USER_CHARS).nullish(),
  response_format: z.literal('b64_json').nullish(),
};

function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return value.length > 40 ? `a text of ${value.length} characters` : `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'a list' : 'an object';
}

/** The first zod issue as the 400 OpenAI would send (unknown parameters first, like OpenAI). */
export function issueToError(issues: readonly z.core.$ZodIssue[], input: Record<string, unknown>): HttpError {
  const unknown = issues.find((i) => i.code === 'unrecognized_keys');
  if (unknown && unknown.code === 'unrecognized_keys') {
    const key = unknown.keys[0] ?? '';
    return invalidRequest(`Unknown parameter: '${key}'.`, key, 'unknown_parameter');
  }
  const issue = issues[0];
  if (!issue) return invalidRequest('Invalid request.', null);
  const param = issue.path.length > 0 ? String(issue.path[0]) : null;
  const name = param ?? 'request';
  const value = param ? input[param] : undefined;
  if (param === 'prompt' && (value === undefined || value === null)) {
    return invalidRequest("Missing required parameter: 'prompt'.", 'prompt', 'missing_required_parameter');
  }
  if (param === 'prompt' && typeof value === 'string' && issue.code === 'custom') {
    const rule = (issue.params as { rule?: string } | undefined)?.rule;
    if (rule === 'too_long') return promptTooLong(codePoints(value));
    return invalidRequest("Invalid 'prompt': it is empty. Describe the image you want.", 'prompt', 'empty_string');
  }
  const code =
    issue.code === 'too_small'
      ? issue.origin === 'string' ? 'string_below_min_length' : 'integer_below_min_value'
      : issue.code === 'too_big'
        ? issue.origin === 'string' ? 'string_above_max_length' : 'integer_above_max_value'
        : issue.code === 'invalid_type'
          ? 'invalid_type'
          : 'invalid_value';
  const rule = FIELD_RULES[name] ?? 'a valid value';
  return invalidRequest(`Invalid '${name}': expected ${rule}, got ${describe(value)}.`, param, code);
}

export interface ModelPolicy {
  defaultModel: string;
  allowedModels: readonly string[];
  /** FRAMEFILL_MODERATION: generations go upstream with this; a request asking otherwise is refused */
  moderation?: 'auto' | 'low';
}

/** Whether the policy allows `id`: listed as is, or a dated snapshot of a listed catalog model. */
export function allows(policy: ModelPolicy, id: string): boolean {
  if (policy.allowedModels.includes(id)) return true;
  const model = findModel(id);
  return model !== undefined && model.id !== id && policy.allowedModels.includes(model.id);
}

/**
 * The model to call, as the request names it (a snapshot goes upstream as asked): the request's
 * when this backend allows it, else the configured default.
 */
export function resolveModel(requested: string | null | undefined, policy: ModelPolicy): string {
  if (requested === undefined || requested === null) return policy.defaultModel;
  if (!allows(policy, requested) || !findModel(requested)) {
    throw invalidRequest(
      `The model '${requested}' is not available on this Framefill backend. Use ${policy.allowedModels.length === 1 ? '' : 'one of '}${policy.allowedModels.map((m) => `'${m}'`).join(', ')}.`,
      'model',
      'model_not_found',
    );
  }
  return requested;
}

/** The catalog entry of a model resolveModel accepted (config and resolveModel only let catalog ids through). */
export function catalogEntry(id: string): ModelInfo {
  const model = findModel(id);
  if (!model) throw invalidRequest(`The model '${id}' is not known to Framefill.`, 'model', 'model_not_found');
  return model;
}

function quoted(values: readonly string[]): string {
  const q = values.map((v) => `'${v}'`);
  return q.length < 2 ? q.join('') : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
}

export interface CommonValues {
  prompt?: string;
  n?: number | null;
  quality?: Quality | null;
  size?: string | null;
  background?: Background | null;
  output_format?: OutputFormat | null;
  output_compression?: number | null;
}

/**
 * Rules that involve more than one field or the chosen model (`model` as asked, a snapshot
 * validated as its model). Throws the 400, before anything is reserved or sent upstream.
 */
export function checkCombinations(values: CommonValues, model: string): void {
  const info = catalogEntry(model);
  if (values.quality && !takesQuality(info, values.quality)) {
    throw invalidRequest(
      `The model '${model}' does not support quality '${values.quality}'. It takes ${quoted([...info.tiers, 'auto'])}.`,
      'quality',
      'unsupported_value',
    );
  }
  if (typeof values.n === 'number' && values.n > info.limits.maxImages) {
    throw invalidRequest(`Invalid 'n': ${model} makes at most ${info.limits.maxImages} images per request, got ${values.n}.`, 'n', 'integer_above_max_value');
  }
  if (values.prompt !== undefined && codePoints(values.prompt) > info.limits.maxPromptChars) throw promptTooLong(codePoints(values.prompt));
  if (values.size !== undefined && values.size !== null && values.size !== 'auto') {
    const size = parseSize(values.size);
    if (!size) throw invalidRequest(`Invalid 'size': expected ${FIELD_RULES.size}, got ${describe(values.size)}.`, 'size', 'invalid_value');
    const problem = sizeProblem(size);
    if (problem) throw invalidRequest(`Invalid 'size' ${values.size}: ${problem}`, 'size', 'invalid_value');
  }
  if (values.background === 'transparent' && values.output_format === 'jpeg') {
    throw invalidRequest(
      "Invalid 'output_format': a transparent background needs 'png' or 'webp' output (JPEG has no alpha channel). Set output_format to 'png' or 'webp', or leave it out for PNG.",
      'output_format',
      'unsupported_value',
    );
  }
  const format = values.output_format ?? 'png';
  if (typeof values.output_compression === 'number' && values.output_compression < 100 && format === 'png') {
    throw invalidRequest(
      "Invalid 'output_compression': compression applies to 'jpeg' and 'webp' output only; PNG is lossless. Set output_format to 'jpeg' or 'webp', or leave output_compression out.",
      'output_compression',
      'unsupported_value',
    );
  }
}

/** Transparent output goes upstream with an explicit format: PNG unless the request chose WebP. */
export function withTransparentFormat<P extends { background?: Background; output_format?: OutputFormat }>(params: P): P {
  return params.background === 'transparent' && params.output_format === undefined ? { ...params, output_format: 'png' } : params;
}

/** Copies the given (non-null) fields, so only validated values ever go upstream. */
export function defined<T extends object>(values: T): { [K in keyof T]?: Exclude<T[K], null | undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) if (v !== null && v !== undefined) out[k] = v;
  return out as { [K in keyof T]?: Exclude<T[K], null | undefined> };
}
