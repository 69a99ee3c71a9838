// Types for build-backend.mjs, so tests can drive the builds.
import type { BuildResult } from 'esbuild';

export declare const NODE_OUTFILE: string;
export declare const NODE_FLAGS: readonly string[];
export declare const WORKER_OUTFILE: string;
export declare const VERCEL_OUTPUT_DIR: string;
export declare const VERCEL_FUNCTION: string;
export declare const VERCEL_RUNTIME: string;
export declare const DEFAULT_VERCEL_MAX_DURATION: number;
export declare const VERCEL_ROUTES: ReadonlyArray<{ src: string; dest: string }>;
export declare function vercelMaxDuration(env?: Record<string, string | undefined>): number;
export declare function buildNode(options?: { outfile?: string }): Promise<BuildResult<{ metafile: true }>>;
export declare function buildWorker(options?: { outfile?: string; entry?: string }): Promise<BuildResult<{ metafile: true }>>;
export declare function buildVercel(options?: { outputDir?: string; maxDuration?: number }): Promise<BuildResult<{ metafile: true }>>;
