// POST /v1/images/edits multipart form → validated parameters and sniffed images, or a 4xx.
// Multipart sends every value as text, so numbers and booleans are converted strictly here
// ("3" → 3, "3.5" or "abc" stay text and fail validation with the field named).
import * as z from 'zod';
import { MAX_REFERENCE_IMAGES } from '../contract';
import { formatBytes, invalidRequest } from '../errors';
import { pngHasAlpha } from '../../common/image-header';
import { MIME_TYPES, sniffImage, type SniffedImage } from './image-sniff';
import type { FilePart, FormPart } from './multipart';
import { catalogEntry, checkCombinations, commonFields, defined, INPUT_FIDELITIES, issueToError, resolveModel, withTransparentFormat, type ModelPolicy } from './fields';
import type { ImageParams, ValidRequest } from './generation';

const editSchema = z.object({ ...commonFields, input_fidelity: z.enum(INPUT_FIDELITIES).nullish() }).strict();

const INTEGER_FIELDS = new Set(['n', 'output_compression', 'partial_images']);
const BOOLEAN_FIELDS = new Set(['stream']);
const IMAGE_FIELDS = new Set(['image', 'image[]']);
const FILE_FIELDS = new Set([...IMAGE_FIELDS, 'mask']);
/** Fields an edit form may carry as text (anything else is an unknown parameter). */
const TEXT_FIELDS = new Set([...Object.keys(commonFields), 'input_fidelity']);

/**
 * Largest reference image we believe a header about: a side of 16,384 px (WebP's own limit) and
 * 100 megapixels. A header is only a claim; one beyond this is a broken or hostile file, and its
 * numbers would otherwise flow into the worst-case price (pricing.maxCostMicros).
 */
export const MAX_INPUT_SIDE = 16_384;
export const MAX_INPUT_PIXELS = 100_000_000;

export interface EditParams extends ImageParams {
  input_fidelity?: (typeof INPUT_FIDELITIES)[number];
}

export interface UploadImage extends SniffedImage {
  /** the file's bytes as the request carried them (a view of its body): checked, hashed and sent upstream as they are */
  bytes: Uint8Array;
  /** a clean name for the upstream upload, e.g. image-1.png */
  filename: string;
  /** the type its content shows (image/png, image/jpeg, image/webp), whatever the client declared */
  type: string;
}

export interface ValidEdit extends ValidRequest<EditParams> {
  images: UploadImage[];
  mask?: UploadImage;
}

export interface EditLimits {
  maxImageBytes: number;
}

/** Multipart text → JSON-like value: whole numbers and true/false where the field expects them. */
export function coerceField(name: string, value: string): unknown {
  if (INTEGER_FIELDS.has(name) && /^-?\d{1,9}$/.test(value.trim())) return Number(value.trim());
  if (BOOLEAN_FIELDS.has(name)) {
    const v = value.trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
  }
  return value;
}

function readImage(file: FilePart, param: string, index: number, limits: EditLimits): UploadImage {
  const label = param === 'mask' ? 'The mask' : `Image ${index + 1}${file.filename ? ` (${file.filename})` : ''}`;
  const { bytes } = file;
  if (bytes.length > limits.maxImageBytes) {
    throw invalidRequest(`${label} is ${formatBytes(bytes.length)}; this backend accepts at most ${formatBytes(limits.maxImageBytes)} per image. Use a smaller or JPEG image.`, param, 'image_too_large');
  }
  const sniffed = sniffImage(bytes);
  if (!sniffed) {
    throw invalidRequest(`${label} is not a PNG, JPEG or WebP image (judged by its content, not its name).`, param, 'invalid_image_format');
  }
  if (sniffed.width > MAX_INPUT_SIDE || sniffed.height > MAX_INPUT_SIDE || sniffed.width * sniffed.height > MAX_INPUT_PIXELS) {
    throw invalidRequest(
      `${label} claims ${sniffed.width}×${sniffed.height} px; images may be at most ${MAX_INPUT_SIDE.toLocaleString('en-US')} px a side and ${MAX_INPUT_PIXELS / 1e6} megapixels. Send a smaller image (its header may be damaged).`,
      param,
      'image_too_large',
    );
  }
  const name = param === 'mask' ? 'mask' : `image-${index + 1}`;
  const ext = sniffed.format === 'jpeg' ? 'jpg' : sniffed.format;
  return { ...sniffed, bytes, filename: `${name}.${ext}`, type: MIME_TYPES[sniffed.format] };
}

export function validateEdit(form: readonly FormPart[], policy: ModelPolicy, limits: EditLimits): ValidEdit {
  // Null prototype: field names such as '__proto__' or 'toString' are data here, not inherited members.
  const input: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const imageFiles: FilePart[] = [];
  const maskFiles: FilePart[] = [];
  for (const part of form) {
    const { name } = part;
    if (FILE_FIELDS.has(name)) {
      if (part.kind !== 'file') throw invalidRequest(`'${name}' must be an uploaded file, not text.`, name === 'mask' ? 'mask' : 'image', 'invalid_type');
      (name === 'mask' ? maskFiles : imageFiles).push(part);
      continue;
    }
    if (part.kind === 'file') {
      if (!TEXT_FIELDS.has(name)) throw invalidRequest(`Unknown parameter: '${name}'.`, name, 'unknown_parameter');
      throw invalidRequest(`'${name}' must be a text field, not a file.`, name, 'invalid_type');
    }
    if (Object.hasOwn(input, name)) throw invalidRequest(`'${name}' was sent more than once.`, name, 'duplicate_parameter');
    input[name] = coerceField(name, part.value);
  }
  const parsed = editSchema.safeParse(input);
  if (!parsed.success) throw issueToError(parsed.error.issues, input);

  if (imageFiles.length === 0) {
    throw invalidRequest("Missing required parameter: 'image'. Send 1 to 16 reference images as 'image' or 'image[]'.", 'image', 'missing_required_parameter');
  }
  const { stream, response_format: _responseFormat, model: requestedModel, ...rest } = parsed.data;
  const model = resolveModel(requestedModel, policy);
  const maxReferences = Math.min(MAX_REFERENCE_IMAGES, catalogEntry(model).limits.maxReferenceImages);
  if (imageFiles.length > maxReferences) {
    throw invalidRequest(`Too many images: ${imageFiles.length}; at most ${maxReferences} reference images are allowed.`, 'image', 'too_many_images');
  }
  if (maskFiles.length > 1) throw invalidRequest('Send at most one mask.', 'mask', 'duplicate_parameter');
  checkCombinations(rest, model);

  const images: UploadImage[] = [];
  for (const [i, file] of imageFiles.entries()) images.push(readImage(file, 'image', i, limits));
  let mask: UploadImage | undefined;
  if (maskFiles[0]) {
    mask = readImage(maskFiles[0], 'mask', 0, limits);
    const first = images[0]!;
    if (mask.format !== 'png') throw invalidRequest(`The mask must be a PNG (got ${mask.format.toUpperCase()}).`, 'mask', 'invalid_image_format');
    if (mask.width !== first.width || mask.height !== first.height) {
      throw invalidRequest(
        `The mask is ${mask.width}x${mask.height} but the first image is ${first.width}x${first.height}; they must be the same size.`,
        'mask',
        'invalid_mask_size',
      );
    }
    if (!pngHasAlpha(mask.bytes)) {
      throw invalidRequest('The mask has no alpha channel: mark the area to edit with fully transparent pixels.', 'mask', 'invalid_mask');
    }
  }
  // OpenAI's edits take no `moderation` (openai-node 6.49 ImageEditParams): a pinned FRAMEFILL_MODERATION applies to generations only.
  const params: EditParams = withTransparentFormat({ ...defined(rest), prompt: rest.prompt, model });
  return { params, stream: stream === true, n: params.n ?? 1, images, ...(mask ? { mask } : {}) };
}
