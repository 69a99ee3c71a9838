// Settings defaults and how a prefill (Regenerate button, quick action, history Re-run) maps
// onto the form. Pure.
import { findModel } from '../backend/models';
import { parseSize } from '../backend/size-rules';
import { sizeModeSchema, type Prefill, type Settings } from '../plugin/messages';
import { defaultSettings } from '../plugin/settings-defaults';
import { DEFAULT_BACKEND_URL } from './config';

/** The sandbox owns the defaults; the panel shows them until `init` brings the stored ones. */
export const DEFAULT_SETTINGS: Settings = defaultSettings();

/** Stored settings with an empty URL fall back to the build's backend; one without a scheme gets one. */
export function withDefaults(settings: Settings): Settings {
  return { ...settings, backendUrl: normalizeBackendUrl(settings.backendUrl) || DEFAULT_BACKEND_URL };
}

const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The address as typed, with a scheme when it has none: `localhost:8787` → `http://localhost:8787`
 * (this machine, where plain http is allowed), anything else → https.
 */
export function normalizeBackendUrl(value: string): string {
  const url = value.trim();
  if (!url || /^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
  const host = url.replace(/^\/\//, '').split(/[/?#]/)[0]!.replace(/:\d*$/, '').toLowerCase();
  return `${LOCAL_HOSTS.includes(host) ? 'http' : 'https'}://${url.replace(/^\/\//, '')}`;
}

/** https anywhere; plain http only for this machine (Figma allows it only in development). */
export function urlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(normalizeBackendUrl(value));
  } catch {
    return 'Enter the backend address, e.g. framefill.example.com';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOCAL_HOSTS.includes(url.hostname))) return 'Use an https:// address (plain http only works for localhost).';
  return null;
}

/**
 * The form changes a prefill asks for: the model (with its background) and tier, a size mode by name ("16:9"), or an exact "WxH" as a
 * custom size so a regenerate reproduces what was made.
 */
export function prefillChanges(prefill: Pick<Prefill, 'tier' | 'size' | 'model' | 'transparent'>): Partial<Settings> {
  const change: Partial<Settings> = {};
  if (prefill.tier) change.tier = prefill.tier;
  // A dated snapshot (as the backend may bill it) picks its model.
  if (prefill.model) {
    change.model = findModel(prefill.model)?.id ?? prefill.model;
    // What was made opaque is remade opaque; only a prefill naming its model says either way.
    change.transparent = prefill.transparent ?? false;
  }
  if (prefill.size) {
    const mode = sizeModeSchema.safeParse(prefill.size);
    const exact = parseSize(prefill.size);
    if (mode.success && mode.data !== 'custom') change.sizeMode = mode.data;
    else if (exact && exact.width >= 16 && exact.width <= 3840 && exact.height >= 16 && exact.height <= 3840) {
      Object.assign(change, { sizeMode: 'custom', customWidth: exact.width, customHeight: exact.height });
    }
  }
  return change;
}
