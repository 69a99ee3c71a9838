// Bundle sizes of what Figma loads: dist/code.js (sandbox) and dist/ui.html (panel, everything
// inlined). Always a fresh production build, in a scratch directory: the figure is of the current
// code, and a developer's dist/ (perhaps an unminified `npm run dev` build) is left alone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Figure, Target } from './report';
import { round } from './stats';

/** KB (1024 bytes) limits; code.js gzip is reported for information. */
export const BUNDLE_TARGETS: Record<string, { raw: number; gzip: number | null }> = {
  'dist/code.js': { raw: 25, gzip: null },
  'dist/ui.html': { raw: 80, gzip: 30 },
};

const atMost = (kb: number | null): Target | null => (kb === null ? null : { op: '<=', value: kb });

export function measureBundles(root: string): Figure[] {
  const out = mkdtempSync(join(tmpdir(), 'framefill-bundle-'));
  try {
    const built = spawnSync(process.execPath, ['build.mjs'], { cwd: root, env: { ...process.env, FRAMEFILL_BUILD_OUT: out }, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`node build.mjs failed: ${built.stderr || built.error?.message || `exit ${built.status}`}`);
    return Object.entries(BUNDLE_TARGETS).flatMap(([file, target]): Figure[] => {
      const bytes = readFileSync(join(out, file));
      const gzip = gzipSync(bytes, { level: 9 }).length;
      return [
        { id: `bundle-${file}-raw`, label: `bundle ${file}`, value: round(bytes.length / 1024), unit: 'KB', target: atMost(target.raw), details: `raw bytes ${bytes.length}, fresh production build`, data: { bytes: bytes.length } },
        { id: `bundle-${file}-gzip`, label: `bundle ${file} (gzip -9)`, value: round(gzip / 1024), unit: 'KB', target: atMost(target.gzip), details: `gzip -9 bytes ${gzip}`, data: { bytes: gzip } },
      ];
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
