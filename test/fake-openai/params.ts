// Request validation of the Images API as the real service applies it: which parameters exist,
// their types and ranges, gpt-image-2's size rules, and the edit uploads. Pure: no I/O, so the
// rules are testable without a server. Throws FakeApiError (400) on the first problem found.
import type { Tier } from '../../backend/pricing.js';
import {
  aboveMax,
  belowMin,
  FakeApiError,
  invalidChoice,
  invalidRequest,
  invalidType,
  missingParameter,
  unknownParameter,
  unsupportedQuality,
} from './errors.js';
import type { OutputFormat } from './image-cache.js';
import { pngHasAlpha, sniffImage, type Sniffed } from './sniff.js';

const GPT_IMAGE_2_MODELS = ['gpt-image-2', 'gpt-image-2-2026-04-21'] as const;
/** GPT Image 2.5 (2026-09-08): gpt-image-2's sizes, plus the xhigh and max qualities. */
const GPT_IMAGE_2_5_MODELS = [
  'gpt-image-2.5-flare',
  'gpt-image-2.5-flare-2026-09-08',
  'gpt-image-2.5-sunburst',
  'gpt-image-2.5-sunburst-2026-09-08',
] as const;
/** Models that take any valid WIDTHxHEIGHT (the others take three fixed sizes). */
const FREE_SIZE_MODELS: readonly string[] = [...GPT_IMAGE_2_MODELS, ...GPT_IMAGE_2_5_MODELS];
export const SUPPORTED_MODELS = [...GPT_IMAGE_2_MODELS, ...GPT_IMAGE_2_5_MODELS, 'gpt-image-1', 'gpt-image-1.5', 'gpt-image-1-mini'] as const;
/** Qualities only the 2.5 models take; everything else answers 400 naming `quality`. */
const TOP_QUALITIES: readonly string[] = ['xhigh', 'max'];
/** Upstream's default model for edits (and ours for generations: the fake serves no DALL·E). */
export const DEFAULT_MODEL = 'gpt-image-1.5';

export const MAX_PROMPT_CHARS = 32_000;
export const MAX_REFERENCES = 16;
export const MAX_IMAGE_BYTES = 50 * 1024 * 1024;
export const MAX_MASK_BYTES = 4 * 1024 * 1024;
export const MAX_PIXELS = 3840 * 2160;
export const MAX_SIDE = 3840;

const COMMON_PARAMS = [
  'model', 'prompt', 'n', 'quality', 'size', 'output_format', 'output_compression',
  'background', 'moderation', 'stream', 'partial_images', 'user',
];
const GENERATION_PARAMS = new Set(COMMON_PARAMS);
const EDIT_TEXT_PARAMS = new Set([...COMMON_PARAMS, 'input_fidelity']);
const EDIT_FILE_FIELDS = new Set(['image', 'image[]', 'mask']);
const FIXED_SIZES = ['1024x1024', '1536x1024', '1024x1536', 'auto'];

export interface ImageJob {
  kind: 'generations' | 'edits';
  model: string;
  prompt: string;
  n: number;
  /** `auto` resolved (to medium); xhigh and max on the 2.5 models only */
  quality: Tier;
  width: number;
  height: number;
  outputFormat: OutputFormat;
  /** 0..100; JPEG quality */
  outputCompression: number;
  background: 'opaque' | 'transparent';
  stream: boolean;
  partialImages: number;
  /** reference images sent with an edit */
  references: number;
}

export interface UploadedFile {
  field: string;
  filename: string;
  type: string;
  bytes: Uint8Array;
}

/** JSON fields arrive typed; multipart fields arrive as strings and are coerced like upstream. */
type Raw = Record<string, unknown>;

export function parseGenerationRequest(body: unknown): ImageJob {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('The request body must be a JSON object.', null, 'invalid_type');
  }
  const raw = body as Raw;
  for (const key of Object.keys(raw)) if (!GENERATION_PARAMS.has(key)) throw unknownParameter(key);
  return parseCommon('generations', raw, false, 0);
}

export function parseEditRequest(fields: Record<string, string>, files: UploadedFile[]): ImageJob {
  for (const key of Object.keys(fields)) {
    if (EDIT_FILE_FIELDS.has(key)) throw invalidType(key, 'a file', fields[key]);
    if (!EDIT_TEXT_PARAMS.has(key)) throw unknownParameter(key);
  }
  for (const file of files) if (!EDIT_FILE_FIELDS.has(file.field)) throw unknownParameter(file.field);
  const images = files.filter((f) => f.field === 'image' || f.field === 'image[]');
  const job = parseCommon('edits', fields, true, images.length);
  const fidelity = fields.input_fidelity;
  if (fidelity !== undefined) {
    if (fidelity !== 'high' && fidelity !== 'low') throw invalidChoice('input_fidelity', fidelity, ['high', 'low']);
    if (job.model === 'gpt-image-1-mini') throw invalidRequest(`'input_fidelity' is not supported for ${job.model}.`, 'input_fidelity');
  }
  checkUploads(images, files.filter((f) => f.field === 'mask'));
  return job;
}

function checkUploads(images: UploadedFile[], masks: UploadedFile[]): void {
  if (images.length === 0) throw missingParameter('image');
  if (images.length > MAX_REFERENCES) {
    throw invalidRequest(
      `Invalid 'image': array too long. Expected an array with maximum length ${MAX_REFERENCES}, but got an array with length ${images.length} instead.`,
      'image',
      'array_above_max_length',
    );
  }
  let first: Sniffed | null = null;
  images.forEach((file, i) => {
    if (file.bytes.byteLength >= MAX_IMAGE_BYTES) {
      throw invalidRequest(`Image ${i + 1} is too large: images must be smaller than 50 MB.`, 'image', 'image_too_large');
    }
    const sniffed = sniffImage(file.bytes);
    if (!sniffed) {
      throw invalidRequest(
        `Invalid image file or mode for image ${i + 1}, please check your image file. Supported formats are PNG, JPEG and WebP.`,
        'image',
        'invalid_image_file',
      );
    }
    first ??= sniffed;
  });
  if (masks.length > 1) throw invalidRequest("Only one 'mask' may be provided.", 'mask');
  const mask = masks[0];
  if (!mask || !first) return;
  const base: Sniffed = first;
  if (mask.bytes.byteLength >= MAX_MASK_BYTES) throw invalidRequest('The mask must be smaller than 4 MB.', 'mask', 'image_too_large');
  const sniffed = sniffImage(mask.bytes);
  if (!sniffed || sniffed.format !== 'png') throw invalidRequest('Invalid mask image format - the mask must be a PNG file.', 'mask', 'invalid_image_format');
  if (!pngHasAlpha(mask.bytes)) throw invalidRequest('Invalid mask image format - mask image missing alpha channel.', 'mask', 'invalid_image_format');
  if (sniffed.width !== base.width || sniffed.height !== base.height) {
    throw invalidRequest(
      `Invalid mask: the mask (${sniffed.width}x${sniffed.height}) must have the same dimensions as the first image (${base.width}x${base.height}).`,
      'mask',
      'invalid_image_dimensions',
    );
  }
}

function parseCommon(kind: ImageJob['kind'], raw: Raw, multipart: boolean, references: number): ImageJob {
  const model = optionalString(raw, 'model') ?? DEFAULT_MODEL;
  if (!(SUPPORTED_MODELS as readonly string[]).includes(model)) {
    throw invalidChoice('model', model, SUPPORTED_MODELS);
  }

  if (raw.prompt === undefined) throw missingParameter('prompt');
  if (typeof raw.prompt !== 'string') throw invalidType('prompt', 'a string', raw.prompt);
  const prompt = raw.prompt;
  if (prompt.length === 0) {
    throw invalidRequest("Invalid 'prompt': string too short. Expected a string with minimum length 1, but got an empty string instead.", 'prompt', 'string_below_min_length');
  }
  // Characters are counted as code points (OpenAI's servers count Python str length), like the backend.
  const chars = [...prompt].length;
  if (chars > MAX_PROMPT_CHARS) {
    throw invalidRequest(
      `Invalid 'prompt': string too long. Expected a string with maximum length ${MAX_PROMPT_CHARS}, but got a string with length ${chars} instead.`,
      'prompt',
      'string_above_max_length',
    );
  }

  const n = optionalInt(raw, 'n', multipart, 1, 10) ?? 1;
  const quality = optionalChoice(raw, 'quality', ['low', 'medium', 'high', 'xhigh', 'max', 'auto'] as const) ?? 'auto';
  if (TOP_QUALITIES.includes(quality) && !(GPT_IMAGE_2_5_MODELS as readonly string[]).includes(model)) {
    throw unsupportedQuality(model, quality);
  }
  const { width, height } = parseSize(model, optionalString(raw, 'size') ?? 'auto');
  const background = optionalChoice(raw, 'background', ['transparent', 'opaque', 'auto'] as const) ?? 'auto';
  const outputFormat = optionalChoice(raw, 'output_format', ['png', 'jpeg', 'webp'] as const) ?? 'png';
  const outputCompression = optionalInt(raw, 'output_compression', multipart, 0, 100) ?? 100;
  if (outputFormat === 'png' && outputCompression < 100) {
    throw invalidRequest("Compression less than 100 is not supported for PNG output format; use 'jpeg' or 'webp'.", 'output_compression');
  }
  // Every served model makes transparent backgrounds (gpt-image-2 in preview), given a format with alpha.
  if (background === 'transparent' && outputFormat === 'jpeg') {
    throw invalidRequest("Transparent backgrounds need an output format with alpha: use 'png' or 'webp'.", 'background');
  }
  optionalChoice(raw, 'moderation', ['low', 'auto'] as const);
  const stream = optionalBool(raw, 'stream', multipart) ?? false;
  const partialImages = optionalInt(raw, 'partial_images', multipart, 0, 3) ?? 0;
  optionalString(raw, 'user');

  return {
    kind,
    model,
    prompt,
    n,
    quality: quality === 'auto' ? 'medium' : quality,
    width,
    height,
    outputFormat,
    outputCompression,
    background: background === 'transparent' ? 'transparent' : 'opaque',
    stream,
    partialImages,
    references,
  };
}

/** `auto` → 1024×1024; gpt-image-2 and 2.5 take any valid WIDTHxHEIGHT, older models three sizes. */
export function parseSize(model: string, size: string): { width: number; height: number } {
  if (size === 'auto') return { width: 1024, height: 1024 };
  if (!FREE_SIZE_MODELS.includes(model)) {
    if (!FIXED_SIZES.includes(size)) throw invalidChoice('size', size, FIXED_SIZES);
  }
  const match = /^(\d{1,5})x(\d{1,5})$/.exec(size);
  if (!match) throw sizeError(size, "use 'auto' or WIDTHxHEIGHT, for example '1536x864'");
  const width = Number(match[1]);
  const height = Number(match[2]);
  if (width < 16 || height < 16) throw sizeError(size, 'width and height must each be at least 16 pixels');
  if (width % 16 !== 0 || height % 16 !== 0) throw sizeError(size, 'width and height must both be divisible by 16');
  if (Math.max(width, height) > 3 * Math.min(width, height)) throw sizeError(size, 'the aspect ratio must be between 1:3 and 3:1');
  if (Math.max(width, height) > MAX_SIDE) throw sizeError(size, `the longest side must be at most ${MAX_SIDE} pixels`);
  if (width * height > MAX_PIXELS) throw sizeError(size, `at most ${MAX_PIXELS} pixels (3840x2160) are supported`);
  return { width, height };
}

function sizeError(size: string, why: string): FakeApiError {
  return invalidRequest(`Invalid size '${size}': ${why}.`, 'size');
}

// ---------- typed field readers (null means "not given", like upstream) ----------

function optionalString(raw: Raw, key: string): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidType(key, 'a string', value);
  return value;
}

function optionalChoice<T extends string>(raw: Raw, key: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(raw, key);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw invalidChoice(key, value, allowed);
  return value as T;
}

function optionalInt(raw: Raw, key: string, multipart: boolean, min: number, max: number): number | undefined {
  let value = raw[key];
  if (value === undefined || value === null) return undefined;
  if (multipart && typeof value === 'string' && /^-?\d+$/.test(value.trim())) value = Number(value.trim());
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidType(key, 'an integer', value);
  if (value < min) throw belowMin(key, min, value);
  if (value > max) throw aboveMax(key, max, value);
  return value;
}

function optionalBool(raw: Raw, key: string, multipart: boolean): boolean | undefined {
  let value = raw[key];
  if (value === undefined || value === null) return undefined;
  if (multipart && (value === 'true' || value === 'false')) value = value === 'true';
  if (typeof value !== 'boolean') throw invalidType(key, 'a boolean', value);
  return value;
}
