// Panel-wide constants. The backend URL default comes from the build (framefill.config.json);
// tests and tools that load the sources without esbuild fall back to the local dev backend.
import { defaultBackendUrl } from '../plugin/settings-defaults';
export const DEFAULT_BACKEND_URL: string = defaultBackendUrl();

/** Whole request body budget: Vercel Functions refuse bodies above ~4.5 MB, so stay under 4 MB. */
export const MAX_UPLOAD_BYTES = 4 * 1024 * 1024;
/** Partial previews per image while streaming, at the tiers that get them (lib/previews.ts). */
export const PARTIAL_IMAGES = 2;
/** Longest side of exported references unless an HD size needs more. */
export const EXPORT_MAX_SIDE = 2048;
/** Requests in flight at once for a multi-target run. */
export const RUN_CONCURRENCY = 4;
/** References the user may pin; the target itself is the 16th image of an edit. */
export const MAX_PINNED_REFERENCES = 15;
/** (issue 16) How often an open panel looks again at overnight batches still running. */
export const OVERNIGHT_POLL_MS = 60_000;
