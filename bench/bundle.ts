// Bundle sizes of what Figma loads: dist/code.js (sandbox) and dist/ui.html (panel, everything
// inlined). Built first if dist is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Figure } from './report';
import { round } from './stats';

export function measureBundles(root: string): Figure[] {
  const files = ['dist/code.js', 'dist/ui.html'];
  if (!files.every((f) => existsSync(join(root, f)))) {
    const built = spawnSync(process.execPath, ['build.mjs'], { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('node build.mjs failed');
  }
  return files.flatMap((file): Figure[] => {
    const bytes = readFileSync(join(root, file));
    const gzip = gzipSync(bytes, { level: 9 }).length;
    const built = statSync(join(root, file)).mtime.toISOString();
    return [
      { id: `bundle-${file}-raw`, label: `bundle ${file}`, value: round(bytes.length / 1024), unit: 'KB', target: null, details: `raw bytes ${bytes.length}, built ${built}`, data: { bytes: bytes.length } },
      { id: `bundle-${file}-gzip`, label: `bundle ${file} (gzip -9)`, value: round(gzip / 1024), unit: 'KB', target: null, details: `gzip -9 bytes ${gzip}`, data: { bytes: gzip } },
    ];
  });
}
