// Keeping the panel true to the canvas: after edits, Undo and Redo (Figma's page `nodechange`,
// which works with dynamic-page access, unlike `documentchange`), one debounced call, so a drag
// that resizes a frame 60 times a second re-describes the selection once it settles.
import type { PluginAPI } from './figma-types';

/** How long the canvas must be still before the panel hears of it. */
export const CANVAS_SETTLE_MS = 150;

export interface Debounced {
  (): void;
  cancel(): void;
}

/** `fn` once, `ms` after the last of a burst of calls. */
export function debounce(fn: () => void, ms: number): Debounced {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const call = (() => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn();
    }, ms);
  }) as Debounced;
  call.cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return call;
}

/** Calls `onChange` (debounced) after node changes on the current page, following page switches. */
export function watchCanvas(api: PluginAPI, onChange: () => void, ms = CANVAS_SETTLE_MS): () => void {
  const settled = debounce(onChange, ms);
  const listener = () => settled();
  let page = api.currentPage;
  page.on('nodechange', listener);
  const onPage = () => {
    page.off('nodechange', listener);
    page = api.currentPage;
    page.on('nodechange', listener);
  };
  api.on('currentpagechange', onPage);
  return () => {
    settled.cancel();
    page.off('nodechange', listener);
    api.off('currentpagechange', onPage);
  };
}
