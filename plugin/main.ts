// Framefill's sandbox entry (dist/code.js). Wiring only: quick-action suggestions, and on each
// run the panel, prefilled from quick-action parameters or a node's Regenerate button.
import type { PluginAPI, RunEvent, ShowUIOptions } from './figma-types';
import { onParameterInput, prefillFromParameters } from './quick-action';
import { isToolCommand, prefillFromNodes, RELAUNCH_COMMAND, toolPrefillFromNodes } from './provenance';
import { openSession, type Log, type Session } from './session';
import type { Prefill } from './messages';

export const UI_OPTIONS: ShowUIOptions = { width: 360, height: 640, themeColors: true, title: 'Framefill' };

export interface StartOptions {
  log?: Log;
  /** the panel HTML; defaults to Figma's __html__ */
  html?: string;
}

export function launchPrefill(api: PluginAPI, event: RunEvent): Prefill | null {
  const fromParameters = prefillFromParameters(event.parameters);
  if (fromParameters) return fromParameters;
  if (event.command === RELAUNCH_COMMAND) {
    const prefill = prefillFromNodes(api.currentPage.selection);
    if (!prefill) api.notify('The selected layer has no Framefill prompt to regenerate from');
    return prefill;
  }
  if (isToolCommand(event.command)) {
    const prefill = toolPrefillFromNodes(api.currentPage.selection, event.command);
    if (!prefill) api.notify('Select a layer with an image to use this on');
    return prefill;
  }
  return null;
}

export function start(api: PluginAPI, options: StartOptions = {}): { session(): Session | null } {
  const log: Log = options.log ?? ((message) => console.warn(`[framefill] ${message}`));
  let session: Session | null = null;
  // Quick actions ask for suggestions before 'run'; the panel only opens once parameters are in.
  api.parameters.on('input', onParameterInput);
  api.on('run', (event) => {
    if (session) return;
    const prefill = launchPrefill(api, event);
    api.showUI(options.html ?? (typeof __html__ === 'string' ? __html__ : ''), UI_OPTIONS);
    session = openSession(api, prefill, log);
  });
  return { session: () => session };
}

// In Figma (and in the playground) the host provides a global `figma`; tests call start() instead.
if (typeof figma !== 'undefined') start(figma);
