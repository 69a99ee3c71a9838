// The line offering a mockup's placeholders as targets: "4 empty frames inside the selection".
import type { Selection } from '../../plugin/messages';
import { plural } from './format';

type EmptyInside = NonNullable<Selection['emptyInside']>;

/** What the sandbox found, in words; null when there is nothing to offer. */
export function emptyInsideText({ frames, shapes, more }: EmptyInside): string | null {
  const parts = [frames > 0 ? plural(frames, 'empty frame') : '', shapes > 0 ? plural(shapes, 'empty shape') : ''].filter(Boolean);
  if (parts.length === 0) return null;
  return `${more ? 'At least ' : ''}${parts.join(' and ')} inside the selection`;
}

/** The button beside it: one layer is "it"; more than a run takes, the first `max` of them. */
export function emptyInsideAction({ frames, shapes, more }: EmptyInside, max: number): string {
  const total = frames + shapes;
  if (total > max || (more && total === max)) return `Select the first ${max} to fill`;
  return total === 1 ? 'Select it to fill' : 'Select them to fill';
}
