// Saving the settings in the sandbox (figma.clientStorage): shortly after the last change, so
// clicking around doesn't spam storage; at once when the user commits (Run, Save); never the
// same settings twice.
import { effect, type ReadonlySignal } from '@preact/signals';
import type { Settings, UiToSandbox } from '../../plugin/messages';

export const SAVE_DELAY_MS = 400;

export function createSettingsSaver(settings: ReadonlySignal<Settings>, initialized: ReadonlySignal<boolean>, emit: (message: UiToSandbox) => void) {
  let lastSaved = '';
  const saveNow = () => {
    const next = settings.peek();
    const key = JSON.stringify(next);
    if (key === lastSaved) return;
    lastSaved = key;
    emit({ type: 'save-settings', settings: next });
  };
  // Nothing is saved before init: the defaults shown until then must not overwrite stored choices.
  effect(() => {
    if (!initialized.value) return;
    void settings.value; // read, so each change restarts the delay
    const timer = setTimeout(saveNow, SAVE_DELAY_MS);
    return () => clearTimeout(timer);
  });
  return {
    saveNow,
    /** the settings the sandbox holds already (init), so they aren't sent back */
    markSaved(stored: Settings) {
      lastSaved = JSON.stringify(stored);
    },
  };
}
