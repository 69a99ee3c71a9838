// A stream's result in the shape of a non-stream ImagesResponse, built from its completed
// events, so an idempotent stream can be stored, replayed and served by GET /v1/results/{id}.
import type { FramefillBlock } from '../contract';
import type { Base64Bytes } from './base64-bytes';
import { count, isObject } from './values';
import type { UsageTotals } from '../accounting/usage-ledger';

/** Fields of the first completed event that describe the images, copied into a collected body. */
const IMAGE_FIELDS = ['background', 'output_format', 'quality', 'size'] as const;

/** Builds the non-stream-shaped body of a stream from its completed events (idempotent requests). */
export class StreamCollector {
  /** each image as it arrived: bytes from a stream (kept off the JS heap), text otherwise */
  private readonly images: Array<{ b64_json: Base64Bytes | string }> = [];
  private readonly meta: Record<string, unknown> = {};
  private created: unknown;
  private bytes = 0;
  private imageIn = 0;
  private textIn = 0;
  /** not collecting: disabled, or the images outgrew maxBytes */
  private dropped: boolean;

  constructor(private readonly maxBytes: number, enabled: boolean) {
    this.dropped = !enabled;
  }

  /** still keeping images: the caller need only extract an event's image while this holds */
  get collecting(): boolean {
    return !this.dropped;
  }

  add(event: Record<string, unknown>, image: Base64Bytes | string | null): void {
    if (this.dropped) return;
    const b64 = image ?? (typeof event.b64_json === 'string' ? event.b64_json : '');
    this.bytes += b64.length;
    if (this.bytes > this.maxBytes) {
      // Too big to keep: drop what was held rather than grow without bound.
      this.dropped = true;
      this.images.length = 0;
      return;
    }
    if (this.images.length === 0) {
      this.created = event.created_at;
      for (const f of IMAGE_FIELDS) if (event[f] !== undefined) this.meta[f] = event[f];
    }
    this.images.push({ b64_json: b64 });
    const details = isObject(event.usage) && isObject(event.usage.input_tokens_details) ? event.usage.input_tokens_details : {};
    this.imageIn += count(details.image_tokens);
    this.textIn += count(details.text_tokens);
  }

  body(totals: UsageTotals, framefill: FramefillBlock): Record<string, unknown> | undefined {
    if (this.dropped) return undefined;
    const usage = {
      input_tokens: totals.input_tokens,
      input_tokens_details: { image_tokens: this.imageIn, text_tokens: this.textIn },
      output_tokens: totals.output_tokens,
      total_tokens: totals.input_tokens + totals.output_tokens,
    };
    return { created: this.created ?? Math.floor(Date.now() / 1000), ...this.meta, data: this.images, usage, framefill };
  }
}
