// POST /v1/images/generations body → the exact parameters that go upstream, or a 400.
import * as z from 'zod';
import { invalidRequest } from '../errors';
import { checkCombinations, commonFields, defined, issueToError, MODERATIONS, resolveModel, withTransparentFormat, type ModelPolicy, type Background, type OutputFormat, type Quality } from './fields';

const generationSchema = z.object({ ...commonFields, moderation: z.enum(MODERATIONS).nullish() }).strict();

/** Parameters sent upstream (besides `stream`), validated and with nulls dropped. */
export interface ImageParams {
  prompt: string;
  model: string;
  n?: number;
  size?: string;
  quality?: Quality;
  output_format?: OutputFormat;
  output_compression?: number;
  background?: Background;
  partial_images?: number;
  user?: string;
}

export interface GenerationParams extends ImageParams {
  moderation?: (typeof MODERATIONS)[number];
}

export interface ValidRequest<P> {
  params: P;
  stream: boolean;
  /** images the request asks for */
  n: number;
}

export function validateGeneration(body: unknown, policy: ModelPolicy): ValidRequest<GenerationParams> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('The request body must be a JSON object with at least a prompt.', null, 'invalid_body');
  }
  const input = body as Record<string, unknown>;
  const parsed = generationSchema.safeParse(input);
  if (!parsed.success) throw issueToError(parsed.error.issues, input);
  const { stream, response_format: _responseFormat, model: requestedModel, ...rest } = parsed.data;
  const model = resolveModel(requestedModel, policy);
  checkCombinations(rest, model);
  if (policy.moderation !== undefined) {
    if (rest.moderation !== undefined && rest.moderation !== null && rest.moderation !== policy.moderation) {
      throw invalidRequest(
        `Invalid 'moderation': this Framefill deployment pins moderation to '${policy.moderation}' for every request; leave 'moderation' out or set it to '${policy.moderation}'.`,
        'moderation',
        'unsupported_value',
      );
    }
    rest.moderation = policy.moderation;
  }
  const params: GenerationParams = withTransparentFormat({ ...defined(rest), prompt: rest.prompt, model });
  return { params, stream: stream === true, n: params.n ?? 1 };
}
