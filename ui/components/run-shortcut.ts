// Ctrl/⌘+Enter runs from anywhere in the panel, not only from the prompt (whose own handler
// prevents the default, so the run starts once). It brings the Create tab forward to show progress.
import { useEffect } from 'preact/hooks';
import type { PanelModel } from '../model/panel-model';

/** Ctrl+Enter (⌘+Enter on a Mac): run. */
export const isRunShortcut = (event: KeyboardEvent) => event.key === 'Enter' && (event.metaKey || event.ctrlKey);

export function useRunShortcut(panel: PanelModel): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!isRunShortcut(event) || event.defaultPrevented) return;
      event.preventDefault();
      if (panel.blocked.peek() || panel.running.peek()) return;
      panel.setTab('create');
      panel.run();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [panel]);
}
