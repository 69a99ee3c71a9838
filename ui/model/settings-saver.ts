// Saving in the sandbox (figma.clientStorage) — the settings, the draft prompt: shortly after the
// last change, so clicking around or typing doesn't spam storage; at once when the user commits
// (Run, Save); never the same value twice.
import { effect, type ReadonlySignal } from '@preact/signals';

export const SAVE_DELAY_MS = 400;

export function createSettingsSaver<T>(value: ReadonlySignal<T>, initialized: ReadonlySignal<boolean>, send: (value: T) => void) {
  let lastSaved = '';
  const saveNow = () => {
    const next = value.peek();
    const key = JSON.stringify(next);
    if (key === lastSaved) return;
    lastSaved = key;
    send(next);
  };
  // Nothing is saved before init: the defaults shown until then must not overwrite stored choices.
  effect(() => {
    if (!initialized.value) return;
    void value.value; // read, so each change restarts the delay
    const timer = setTimeout(saveNow, SAVE_DELAY_MS);
    return () => clearTimeout(timer);
  });
  return {
    saveNow,
    /** the value the sandbox holds already (init), so it isn't sent back */
    markSaved(stored: T) {
      lastSaved = JSON.stringify(stored);
    },
  };
}
