// What an uploaded file really is, from its bytes (never its name or declared type): the formats
// the edits endpoint takes, PNG, JPEG or WebP. The header itself is read by common/image-header,
// the same reader the plugin and the panel use; this adds only the upload policy.
import { readImageHeader, type ImageHeader } from '../../common/image-header';

export type ImageFormat = 'png' | 'jpeg' | 'webp';

export interface SniffedImage extends ImageHeader {
  format: ImageFormat;
}

export const MIME_TYPES: Readonly<Record<ImageFormat, string>> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

function isUploadFormat(header: ImageHeader): header is SniffedImage {
  return Object.hasOwn(MIME_TYPES, header.format);
}

/** The image's real format and size, or null when it is not a PNG, JPEG or WebP we can read. */
export function sniffImage(bytes: Uint8Array): SniffedImage | null {
  const header = readImageHeader(bytes);
  return header && isUploadFormat(header) ? header : null;
}
