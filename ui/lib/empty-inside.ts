// The line offering a mockup's placeholders as targets: "4 empty frames inside the selection".
import type { Selection } from '../../plugin/messages';
import { plural } from './format';

type EmptyInside = NonNullable<Selection['emptyInside']>;

/** What the sandbox found, in words; null when there is nothing to offer. */
export function emptyInsideText({ frames, shapes }: EmptyInside): string | null {
  const parts = [frames > 0 ? plural(frames, 'empty frame') : '', shapes > 0 ? plural(shapes, 'empty shape') : ''].filter(Boolean);
  return parts.length > 0 ? `${parts.join(' and ')} inside the selection` : null;
}

/** The button beside it: one layer is "it"; more than a run takes, the first `max` of them. */
export function emptyInsideAction({ frames, shapes }: EmptyInside, max: number): string {
  const total = frames + shapes;
  if (total > max) return `Select the first ${max} to fill`;
  return total === 1 ? 'Select it to fill' : 'Select them to fill';
}
