// The memory store's spill area on Node: one private directory (mode 0700, files 0600) made
// fresh for this process under FRAMEFILL_RESULT_SPILL_DIR (default: the OS temp directory) and
// removed when the store closes. Holds results the memory cap pushed out, overnight batches'
// above all (their images exist nowhere else once the batch's files are deleted at OpenAI).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../errors';
import type { SpillArea } from '../store/spill-area';

/** The store names files itself (random UUIDs): anything else never touches the disk. */
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A file system error's code (ENOSPC, EACCES…), never its message: that names paths and nothing more useful. */
const codeOf = (err: unknown, otherwise: string) => (err instanceof Error && 'code' in err ? String(err.code) : otherwise);

export interface DiskSpillOptions {
  /** where the directory is made (default: the OS temp directory) */
  parent?: string | undefined;
  /** told once per failed write (a full disk), never with the bytes */
  warn: (message: string) => void;
}

export async function createDiskSpill({ parent = tmpdir(), warn }: DiskSpillOptions): Promise<SpillArea> {
  const dir = await mkdtemp(path.join(parent, 'framefill-results-')).catch((err: unknown) => {
    throw new ConfigError(`FRAMEFILL_RESULT_SPILL_DIR: no directory can be made in ${parent} (${codeOf(err, 'error')}); set it to a writable directory, or FRAMEFILL_RESULT_SPILL_BYTES=0`);
  });
  const file = (id: string) => {
    if (!ID.test(id)) throw new Error(`spill: not a spill id: ${JSON.stringify(id.slice(0, 40))}`);
    return path.join(dir, id);
  };
  return {
    async write(id, value) {
      try {
        await writeFile(file(id), value, { mode: 0o600 });
        return true;
      } catch (err) {
        warn(`a result could not be written to ${dir} (${codeOf(err, 'write error')}); it is dropped to a not_retained marker`);
        await rm(file(id), { force: true }).catch(() => {});
        return false;
      }
    },
    async read(id) {
      try {
        return new Uint8Array(await readFile(file(id)));
      } catch {
        return null;
      }
    },
    async remove(id) {
      await rm(file(id), { force: true });
    },
    async close() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}
