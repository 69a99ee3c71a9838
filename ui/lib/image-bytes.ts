// Bytes of images, pure: base64 both ways without building strings byte by byte (images are
// megabytes), data URLs, and the header of a base64 image (read by common/image-header).
import { readImageHeader, type ImageHeader } from '../../common/image-header';

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
export function base64ImageInfo(b64: string): ImageHeader | null {
  const prefix = b64.slice(0, 87_380); // a multiple of 4 characters: valid base64 on its own
  const info = readImageHeader(base64ToBytes(prefix));
  return info ?? (b64.length > prefix.length ? readImageHeader(base64ToBytes(b64)) : null);
}
