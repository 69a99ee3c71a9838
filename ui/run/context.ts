// What the run modules share: the job store, the runs the sandbox holds as pending, the outside
// world (sandbox, backend, canvas, clock) and small helpers to change one job.
import type { UiToSandbox } from '../../plugin/messages';
import type { BackendClient } from '../lib/backend-client';
import type { Size } from '../../backend/size-rules';
import type { Rect } from '../lib/edit-geometry';
import type { ComposedEdit, PreparedUploads, SourceImage } from '../lib/image-canvas';
import type { Limiter } from '../lib/concurrency';
import type { Store } from '../lib/store';
import type { Requester } from '../transport';
import type { JobState } from './job';
import { createPendingRuns, type PendingRuns } from './pending-runs';

export interface RunState {
  jobs: JobState[];
  /** panel-level notices (recovery, expired runs), newest last */
  notices: { id: string; text: string; tone: 'info' | 'error' }[];
}

export interface ImageOps {
  prepareEditUploads(images: SourceImage[], mask: { bytes: Uint8Array } | null, budget: number): Promise<PreparedUploads>;
  makeThumbnail(b64: string): Promise<Uint8Array<ArrayBuffer> | null>;
  /** (issue 14, look) a panel image at reference size; without it, images go as they are */
  fitSourceWithin?(source: SourceImage, maxSide: number): Promise<SourceImage>;
  /** (issue 15, expand) the image at `rect` on a transparent canvas of `size`, and its margins' mask */
  composeExpand?(source: SourceImage, size: Size, rect: Rect): Promise<ComposedEdit>;
}

export interface RunDeps {
  emit(message: UiToSandbox): void;
  requester: Requester;
  /** a client for the settings as they are now */
  client(): BackendClient;
  imageOps: ImageOps;
  limiter: Limiter;
  newId(): string;
  now(): number;
  /** request body budget in bytes */
  uploadBudget: number;
  /** for tests: how recovery polling waits */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
  /** problems nobody needs to act on (a cancel the backend didn't confirm); default console.warn */
  warn?(message: string): void;
}

export interface RunContext {
  store: Store<RunState>;
  deps: RunDeps;
  pending: PendingRuns;
  job(id: string): JobState | undefined;
  patch(id: string, change: Partial<JobState> | ((job: JobState) => Partial<JobState>)): void;
  notice(text: string, tone?: 'info' | 'error'): void;
}

export function createContext(store: Store<RunState>, deps: RunDeps): RunContext {
  return {
    store,
    deps,
    pending: createPendingRuns(deps.emit),
    job: (id) => store.get().jobs.find((j) => j.id === id),
    patch(id, change) {
      store.update((state) => ({
        ...state,
        jobs: state.jobs.map((j) => (j.id === id ? { ...j, ...(typeof change === 'function' ? change(j) : change) } : j)),
      }));
    },
    notice(text, tone = 'info') {
      store.update((state) => ({ ...state, notices: [...state.notices, { id: deps.newId(), text, tone }].slice(-5) }));
    },
  };
}
