// Default settings. The backend URL comes from the build (build.mjs defines
// __FRAMEFILL_DEFAULT_BACKEND__ for the panel today); the sandbox bundle may not define it,
// so it is read behind `typeof` and falls back to the local development backend.
import type { Settings } from './messages';

declare const __FRAMEFILL_DEFAULT_BACKEND__: string | undefined;

export const LOCAL_BACKEND_URL = 'http://localhost:8787';
/** The backend's default model (backend/models.ts DEFAULT_MODEL_ID; the sandbox may not import it). */
export const DEFAULT_MODEL = 'gpt-image-2';

export function defaultBackendUrl(): string {
  return typeof __FRAMEFILL_DEFAULT_BACKEND__ === 'string' && __FRAMEFILL_DEFAULT_BACKEND__
    ? __FRAMEFILL_DEFAULT_BACKEND__
    : LOCAL_BACKEND_URL;
}

export function defaultSettings(): Settings {
  return {
    backendUrl: defaultBackendUrl(),
    accessToken: '',
    tier: 'medium',
    sizeMode: 'auto',
    customWidth: 1024,
    customHeight: 1024,
    hd: false,
    variations: 1,
    model: DEFAULT_MODEL,
    transparent: false,
    confirmAboveUsd: 1,
  };
}
