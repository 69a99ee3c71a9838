// Prompt fields (issue 14): `{text}`, `{name}` and `{parent}` filled per target from the design
// itself, so one prompt over 30 product cards names each card's own product. Pure.
import type { Target } from '../../plugin/messages';

export const FIELD_NAMES = ['text', 'name', 'parent'] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

/** `{word}`: what looks like a field. Other braces (`{ "a": 1 }`, `{}`) are left as written. */
const FIELD = /\{([A-Za-z][\w-]*)\}/g;

const isField = (word: string): word is FieldName => (FIELD_NAMES as readonly string[]).includes(word.toLowerCase());

/** What `{text}` reads for one target: its most prominent text ('' when it has none). */
export function textField(target: Pick<Target, 'texts'> | null): string {
  return target?.texts?.[0]?.trim() ?? '';
}

/** What fills each field for one target (null: no selected layer, a new image). */
export function fieldValues(target: Pick<Target, 'name' | 'texts' | 'parentName'> | null): Record<FieldName, string> {
  return {
    text: textField(target),
    name: target?.name.trim() ?? '',
    parent: target?.parentName?.trim() ?? '',
  };
}

export interface Resolved {
  /** the prompt with every field that has a value filled in */
  prompt: string;
  /** fields that had nothing to fill (left as written; the run is blocked until they are) */
  missing: FieldName[];
  /** `{words}` that are not fields, e.g. `{brand}` */
  unknown: string[];
}

export function resolvePrompt(prompt: string, values: Record<FieldName, string>): Resolved {
  const missing = new Set<FieldName>();
  const unknown = new Set<string>();
  const filled = prompt.replace(FIELD, (whole, word: string) => {
    if (!isField(word)) {
      unknown.add(whole);
      return whole;
    }
    const value = values[word.toLowerCase() as FieldName];
    if (!value) missing.add(word.toLowerCase() as FieldName);
    return value || whole;
  });
  return { prompt: filled, missing: [...missing], unknown: [...unknown] };
}

/** True when the prompt holds a field: the plan then shows every target's own prompt. */
export function hasFields(prompt: string): boolean {
  return [...prompt.matchAll(FIELD)].some((m) => isField(m[1]!));
}

/** "{text}", "{text} and {parent}", "{text}, {name} and {parent}" */
export function fieldList(names: readonly string[]): string {
  const braced = names.map((n) => (n.startsWith('{') ? n : `{${n}}`));
  return braced.length <= 1 ? (braced[0] ?? '') : `${braced.slice(0, -1).join(', ')} and ${braced[braced.length - 1]}`;
}
