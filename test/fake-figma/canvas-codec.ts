// The fake's codec for a browser page (the playground): real PNG/JPEG bytes from a <canvas>.
// toDataURL is synchronous, which keeps exportAsync/createImage timing like the Node codec.
import type { ImageCodec } from './codec';
import { readHeader } from './image-header';

export function createCanvasCodec(doc: Document = document): ImageCodec {
  return {
    encodeImage(kind, width, height, seed, opaque) {
      const canvas = doc.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2D canvas available');
      const fill = ctx.createLinearGradient(0, 0, width, height);
      fill.addColorStop(0, `hsl(${(seed * 37) % 360} 70% 55%)`);
      fill.addColorStop(1, `hsl(${(seed * 91 + 120) % 360} 70% 45%)`);
      ctx.fillStyle = fill;
      for (const r of opaque ?? [{ x: 0, y: 0, width, height }]) ctx.fillRect(r.x, r.y, r.width, r.height);
      const url = canvas.toDataURL(kind === 'png' ? 'image/png' : 'image/jpeg', 0.8);
      const binary = atob(url.slice(url.indexOf(',') + 1));
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      return bytes;
    },
    readImageSize: readHeader,
  };
}
