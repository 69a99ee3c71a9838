// Test-only: many SDK callers at once against one budget, spread over one or more backends.
import OpenAI from 'openai';

export interface SpendOutcome {
  succeeded: number;
  refusals: Array<InstanceType<typeof OpenAI.APIError>>;
}

export async function concurrentSpend(options: { clients: OpenAI[]; callers: number; request: OpenAI.Images.ImageGenerateParamsNonStreaming }): Promise<SpendOutcome> {
  const settled = await Promise.allSettled(
    Array.from({ length: options.callers }, (_, i) => options.clients[i % options.clients.length]!.images.generate(options.request)),
  );
  const refusals: SpendOutcome['refusals'] = [];
  let succeeded = 0;
  for (const s of settled) {
    if (s.status === 'fulfilled') succeeded++;
    else if (s.reason instanceof OpenAI.APIError) refusals.push(s.reason);
    else throw s.reason;
  }
  return { succeeded, refusals };
}
