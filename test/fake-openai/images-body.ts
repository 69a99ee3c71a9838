// What a finished image request answers: the images (by seed, so they are reproducible) and the
// `usage` block. Shared by the synchronous routes (server.ts) and the Batch API (batches.ts), so a
// batch line gets exactly the body the same request would get live.
import { imageBase64 } from './image-cache.js';
import type { ImageJob } from './params.js';
import { usageFor, type FakeUsage } from './usage.js';

export function finalSpec(job: ImageJob, index: number, seedOffset = 0) {
  return {
    width: job.width,
    height: job.height,
    format: job.outputFormat,
    seed: (job.kind === 'edits' ? 50 : 0) + index + seedOffset,
    compression: job.outputCompression,
    transparent: job.background === 'transparent',
  };
}

/** Partials are the same size as the final image but visibly different (another seed). */
export function partialSpec(job: ImageJob, index: number, partial: number) {
  return { ...finalSpec(job, index), seed: 1000 + index * 10 + partial };
}

/** `partialImages`: the previews streamed per image (a stream's usage bills them; a plain response has none). */
export function usageOf(job: ImageJob, images: number, countInput: boolean, partialImages = 0): FakeUsage {
  return usageFor({
    tier: job.quality,
    width: job.width,
    height: job.height,
    images,
    promptChars: countInput ? job.prompt.length : 0,
    references: countInput ? job.references : 0,
    partialImages,
  });
}

/** The non-stream ImagesResponse of `job`. */
export function imagesResponse(job: ImageJob, seedOffset: number) {
  return {
    created: nowSeconds(),
    background: job.background,
    output_format: job.outputFormat,
    quality: job.quality,
    size: `${job.width}x${job.height}`,
    data: Array.from({ length: job.n }, (_, i) => ({ b64_json: imageBase64(finalSpec(job, i, seedOffset)) })),
    usage: usageOf(job, job.n, true),
  };
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
