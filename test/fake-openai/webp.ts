// The smallest honest WebP encoder: lossless VP8L, no transforms, every colour channel coded
// with a flat 8-bit prefix code; alpha likewise, or with a zero-bit code when it is uniform. Files are larger than a real
// encoder's, but they are valid WebP of exactly the requested size, so `output_format: 'webp'`
// behaves like upstream. Spec: RFC 9649 (WebP Image Format), section 3.
import type { Rgba } from '../support/images.js';

class BitWriter {
  private readonly bytes: Uint8Array;
  private length = 0;
  private acc = 0;
  private nbits = 0;
  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }
  /** `value` (≤ 24 bits) least significant bit first, as VP8L reads. */
  write(value: number, bits: number): void {
    this.acc |= value << this.nbits;
    this.nbits += bits;
    while (this.nbits >= 8) {
      this.bytes[this.length++] = this.acc & 0xff;
      this.acc >>>= 8;
      this.nbits -= 8;
    }
  }
  finish(): Uint8Array {
    if (this.nbits > 0) this.bytes[this.length++] = this.acc & 0xff;
    return this.bytes.subarray(0, this.length);
  }
}

const REVERSED = Uint8Array.from({ length: 256 }, (_, v) => {
  let r = 0;
  for (let i = 0; i < 8; i++) r |= ((v >> i) & 1) << (7 - i);
  return r;
});

/** A normal prefix code giving the first `used` of `alphabet` symbols length 8, the rest none. */
function writeFlatCode(w: BitWriter, alphabet: number, used: number): void {
  w.write(0, 1); // normal (not simple) code
  w.write(12 - 4, 4); // 12 code-length-code lengths, in order 17 18 0 1 2 3 4 5 16 6 7 8
  for (let i = 0; i < 12; i++) w.write(i === 2 || i === 11 ? 1 : 0, 3); // symbols 0 and 8: 1 bit each
  w.write(0, 1); // max_symbol = alphabet size
  for (let s = 0; s < alphabet; s++) w.write(s < used ? 1 : 0, 1); // code '1' → length 8, '0' → 0
}

/** A simple prefix code with one 8-bit symbol: costs no bits per pixel. */
function writeSingleSymbol(w: BitWriter, symbol: number): void {
  w.write(1, 1); // simple code
  w.write(0, 1); // one symbol
  w.write(1, 1); // 8-bit symbol
  w.write(symbol, 8);
}

export function encodeWebp(image: Rgba): Buffer {
  const { width, height, data } = image;
  if (width < 1 || height < 1 || width > 16384 || height > 16384) throw new RangeError('WebP sides are 1..16384');
  const alpha = data[3] ?? 255;
  let uniform = true;
  for (let i = 3; i < data.length && uniform; i += 4) uniform = data[i] === alpha;
  const w = new BitWriter(64 + 4 * 280 + width * height * (uniform ? 3 : 4));
  w.write(0x2f, 8); // VP8L signature
  w.write(width - 1, 14);
  w.write(height - 1, 14);
  w.write(uniform && alpha === 255 ? 0 : 1, 1); // alpha_is_used hint
  w.write(0, 3); // version
  w.write(0, 1); // no transforms
  w.write(0, 1); // no colour cache
  w.write(0, 1); // no meta prefix codes
  writeFlatCode(w, 256 + 24, 256); // green + length prefixes
  writeFlatCode(w, 256, 256); // red
  writeFlatCode(w, 256, 256); // blue
  if (uniform) writeSingleSymbol(w, alpha);
  else writeFlatCode(w, 256, 256);
  w.write(0b0001, 4); // distance: simple code, one 1-bit symbol, value 0 (never used)
  for (let i = 0; i < data.length; i += 4) {
    // Canonical codes are read most significant bit first, hence the reversal.
    w.write(REVERSED[data[i + 1]!]! | (REVERSED[data[i]!]! << 8) | (REVERSED[data[i + 2]!]! << 16), 24);
    if (!uniform) w.write(REVERSED[data[i + 3]!]!, 8);
  }
  const payload = w.finish();
  const padded = payload.length + (payload.length & 1);
  const out = Buffer.alloc(20 + padded);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(12 + padded, 4);
  out.write('WEBPVP8L', 8, 'ascii');
  out.writeUInt32LE(payload.length, 16);
  out.set(payload, 20);
  return out;
}
