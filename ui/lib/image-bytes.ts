// Bytes and headers of images, pure: base64 both ways without building strings byte by byte
// (images are megabytes), and PNG/JPEG/GIF dimensions straight from the header.

type Base64Native = { fromBase64?: (s: string) => Uint8Array<ArrayBuffer> };

export function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const native = (Uint8Array as unknown as Base64Native).fromBase64;
  if (native) return native(b64);
  const binary = atob(b64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Chunks keep String.fromCharCode's argument list small (engines cap it near 64k). */
export function bytesToBase64(bytes: Uint8Array): string {
  const native = (bytes as unknown as { toBase64?: () => string }).toBase64;
  if (native) return native.call(bytes);
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 0x8000) parts.push(String.fromCharCode(...bytes.subarray(i, i + 0x8000)));
  return btoa(parts.join(''));
}

export type ImageFormat = 'png' | 'jpeg' | 'gif';

export interface ImageInfo {
  format: ImageFormat;
  width: number;
  height: number;
}

/** Format and size from the first bytes; null when it is none of PNG, JPEG, GIF. */
export function imageInfo(bytes: Uint8Array): ImageInfo | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 24 && view.getUint32(0) === 0x89504e47 && view.getUint32(4) === 0x0d0a1a0a) {
    return { format: 'png', width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (bytes.length >= 10 && bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46) {
    return { format: 'gif', width: view.getUint16(6, true), height: view.getUint16(8, true) };
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let i = 2;
    while (i + 9 < bytes.length) {
      if (bytes[i] !== 0xff) {
        i++;
        continue;
      }
      const marker = bytes[i + 1]!;
      // Fill bytes and markers without a length field.
      if (marker === 0xff) {
        i++;
        continue;
      }
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        i += 2;
        continue;
      }
      // SOF0..SOF15 carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but don't.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { format: 'jpeg', height: view.getUint16(i + 5), width: view.getUint16(i + 7) };
      }
      i += 2 + view.getUint16(i + 2);
    }
  }
  return null;
}

/** MIME type of a base64 image from its first characters (PNG "iVBOR", JPEG "/9j/"). */
export function base64Mime(b64: string): 'image/png' | 'image/jpeg' | 'image/gif' {
  if (b64.startsWith('/9j/')) return 'image/jpeg';
  if (b64.startsWith('R0lG')) return 'image/gif';
  return 'image/png';
}

export function dataUrl(b64: string): string {
  return `data:${base64Mime(b64)};base64,${b64}`;
}

/** Dimensions of a base64 image, decoding only the first 64 KiB when the header is there. */
export function base64ImageInfo(b64: string): ImageInfo | null {
  const prefix = b64.slice(0, 87_380); // a multiple of 4 characters: valid base64 on its own
  const info = imageInfo(base64ToBytes(prefix));
  return info ?? (b64.length > prefix.length ? imageInfo(base64ToBytes(b64)) : null);
}
