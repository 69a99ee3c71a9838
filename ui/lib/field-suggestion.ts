// Per-frame prompts are Framefill's answer to a grid of cards, and invisible until one knows the
// syntax: when several frames each sit with text of their own and the prompt has no field yet,
// the panel offers {text} (lead with the subject: the field goes first).
import type { Target } from '../../plugin/messages';
import { textField } from './prompt-fields';

export interface TextFieldSuggestion {
  /** frames that have a text of their own */
  frames: number;
  /** the first two different texts, to show what {text} would read */
  examples: string[];
}

/** The offer, or null: fewer than two frames, no two different texts, or fields already in use. */
export function suggestTextField(targets: readonly Pick<Target, 'texts'>[], usesFields: boolean): TextFieldSuggestion | null {
  if (usesFields || targets.length < 2) return null;
  // what {text} would read for each, so the offer never counts a text the field would not fill
  const texts = targets.map(textField).filter(Boolean);
  const distinct = [...new Set(texts)];
  return distinct.length < 2 ? null : { frames: texts.length, examples: distinct.slice(0, 2) };
}

/** "Studio product photo, 50mm" → "{text}, studio product photo, 50mm": each frame's text leads as the subject. */
export function startWithTextField(prompt: string): string {
  const rest = prompt.trim();
  if (!rest) return '{text}';
  // "Studio …" reads mid-sentence as "studio …"; "HDR …" and "iPhone …" keep their case.
  const lowered = /^[A-Z][a-z]/.test(rest) ? rest[0]!.toLowerCase() + rest.slice(1) : rest;
  return `{text}, ${lowered}`;
}
