// Where an in-memory store puts results it has no room for in memory (a directory on Node:
// platform/disk-spill.ts), so a result paid for — an overnight batch's images, above all, which
// exist nowhere else once the batch's files are deleted upstream — outlives a full memory cap.
// The store picks the ids (random, never a key: keys name tokens) and does the accounting; the
// area only holds bytes. No Node APIs here: the Workers bundle imports the store.

export interface SpillArea {
  /** Keeps the bytes under `id`; false when it could not (full disk, write error): the store then drops them as before. */
  write(id: string, value: string | Uint8Array): Promise<boolean>;
  /** The bytes under `id`, or null when they are not there (any more). */
  read(id: string): Promise<Uint8Array | null>;
  remove(id: string): Promise<void>;
  /** Removes everything the area holds; it is not used afterwards. */
  close(): Promise<void>;
}
