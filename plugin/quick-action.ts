// Quick actions (manifest parameters "prompt" and "tier"): suggestions while typing, and the
// prefill that starts the run as soon as the panel opens.
import type { ParameterInputEvent, ParameterValues } from './figma-types';
import type * as z from 'zod/mini';
import { tierSchema, type Prefill } from './messages';

type TierName = z.infer<typeof tierSchema>;

export const TIER_SUGGESTIONS: ReadonlyArray<{ name: string; data: TierName }> = [
  { name: 'Low — fast drafts', data: 'low' },
  { name: 'Medium — balanced', data: 'medium' },
  { name: 'High — finest detail', data: 'high' },
];

/** Subject first, then camera and light, then style anchors — the habits the panel teaches. */
export const STARTER_PROMPTS: readonly string[] = [
  'Ceramic coffee cup on a linen tablecloth, soft morning window light, editorial product photo',
  'Mountain lake at dawn, wide angle, mist over the water, muted film colours',
  'Smiling barista behind a wooden counter, 50mm portrait, warm café light, candid',
  'Abstract gradient of flowing glass shapes, studio lighting, soft shadows, minimal 3D render',
  'City street at night after rain, neon reflections, low angle, cinematic',
  'Flat vector illustration of a team around a laptop, pastel palette, clean shapes',
  'Top-down flat lay of a workspace with notebook and plants, natural light, Scandinavian style',
  'Fresh salad bowl on a marble counter, overhead shot, bright daylight, food magazine style',
];

const MAX_SUGGESTIONS = 8;

export function tierSuggestions(query: string): Array<{ name: string; data: TierName }> {
  const q = query.trim().toLowerCase();
  return TIER_SUGGESTIONS.filter((s) => !q || s.name.toLowerCase().includes(q));
}

/** The typed text first (so Enter keeps what was typed), then matching starters. */
export function promptSuggestions(query: string): string[] {
  const q = query.trim();
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = STARTER_PROMPTS.filter((p) => words.every((w) => p.toLowerCase().includes(w)));
  const out = q ? [q, ...matches.filter((p) => p !== q)] : [...STARTER_PROMPTS];
  return out.slice(0, MAX_SUGGESTIONS);
}

export function prefillFromParameters(parameters: ParameterValues | undefined): Prefill | null {
  const prompt = typeof parameters?.prompt === 'string' ? parameters.prompt.trim() : '';
  if (!prompt) return null;
  const tier = tierSchema.safeParse(parameters?.tier);
  return { prompt, ...(tier.success ? { tier: tier.data } : {}), autoRun: true };
}

export function onParameterInput(event: ParameterInputEvent): void {
  if (event.key === 'tier') event.result.setSuggestions(tierSuggestions(event.query));
  else if (event.key === 'prompt') event.result.setSuggestions(promptSuggestions(event.query));
  else event.result.setSuggestions([]);
}
