// "Use current image as reference": a layer showing only a Framefill image is filled afresh by
// default (the new image replaces it); with this choice it is restyled instead, its current
// image sent as the reference. Pure: the plan reads the selection as this choice makes it.
import type { Selection } from '../../plugin/messages';

export function hasFramefillImage(selection: Selection): boolean {
  return selection.targets.some((t) => t.framefillImage === true);
}

export function withCurrentImageChoice(selection: Selection, useAsReference: boolean): Selection {
  if (!useAsReference || !hasFramefillImage(selection)) return selection;
  return { ...selection, targets: selection.targets.map((t) => (t.framefillImage ? { ...t, empty: false } : t)) };
}
