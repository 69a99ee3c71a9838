// An image's base64 kept as the bytes it arrived in (slices of the upstream's chunks), never
// decoded into a JS string. A kept stream result is written out as bytes (results/
// retained-results.ts) and the in-memory store holds bytes, off the JS heap: 200 streams
// finishing together would otherwise put 200 strings of ~0.6 MB on it at once, which stay until
// a full collection long after the store has let go of most of them.

const decoder = new TextDecoder();

export class Base64Bytes {
  readonly length: number;

  constructor(readonly parts: readonly Uint8Array[]) {
    this.length = parts.reduce((n, part) => n + part.length, 0);
  }

  /**
   * Whether the bytes can go into JSON text as they are: no quote, backslash or control byte.
   * Base64 never has any; a broken upstream might, and then the text is escaped the slow way.
   */
  plain(): boolean {
    for (const part of this.parts) {
      for (let i = 0; i < part.length; i++) {
        const b = part[i]!;
        if (b < 0x20 || b === 0x22 || b === 0x5c) return false;
      }
    }
    return true;
  }

  /**
   * As text (a copy). Deliberately no toJSON: JSON.stringify would call it before any replacer
   * could write the bytes out as they are (results/retained-results.ts serializeResult).
   */
  toString(): string {
    let text = '';
    for (const part of this.parts) text += decoder.decode(part, { stream: true });
    return text + decoder.decode();
  }
}
