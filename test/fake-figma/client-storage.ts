// figma.clientStorage: values are structured clones (Uint8Array survives), and the plugin's
// total is capped at 5 MB like Figma's quota.
export const CLIENT_STORAGE_QUOTA = 5 * 1024 * 1024;

/** Stored size: UTF-8 JSON with binary data at its byte length, plus the key. */
export function storedSize(key: string, value: unknown): number {
  let binary = 0;
  const json =
    JSON.stringify(value, (_k, v: unknown) => {
      if (ArrayBuffer.isView(v)) {
        binary += v.byteLength;
        return 0;
      }
      return v;
    }) ?? '';
  return new TextEncoder().encode(key + json).byteLength + binary;
}

export class FakeClientStorage {
  /** Direct access for tests (e.g. plant a corrupted value); bypasses cloning and quota. */
  readonly raw = new Map<string, unknown>();
  writes = 0;

  constructor(readonly quota = CLIENT_STORAGE_QUOTA) {}

  bytesUsed(except?: string): number {
    let total = 0;
    for (const [key, value] of this.raw) if (key !== except) total += storedSize(key, value);
    return total;
  }

  async getAsync(key: string): Promise<unknown> {
    return this.raw.has(key) ? structuredClone(this.raw.get(key)) : undefined;
  }

  async setAsync(key: string, value: unknown): Promise<void> {
    if (typeof key !== 'string') throw new Error('clientStorage key must be a string');
    const copy = structuredClone(value); // throws DataCloneError for functions etc., like Figma
    const total = this.bytesUsed(key) + storedSize(key, copy);
    if (total > this.quota) throw new Error(`clientStorage quota exceeded: ${total} bytes of ${this.quota} allowed`);
    this.raw.set(key, copy);
    this.writes++;
  }

  async deleteAsync(key: string): Promise<void> {
    this.raw.delete(key);
  }

  async keysAsync(): Promise<string[]> {
    return [...this.raw.keys()];
  }
}
