// Pure choice of export settings: longest side within maxSide, else 1×. Absolute bounds keep the
// export exactly the node's box (no shadow or overflow margin), so a target's reference and its
// mask come out the same pixel size.
import type { ExportSettingsConstraints, ExportSettingsImage } from './figma-types';
export type ExportFormat = 'PNG' | 'JPG';

export function exportSettingsFor(box: { width: number; height: number }, maxSide: number, format: ExportFormat): ExportSettingsImage {
  const constraint: ExportSettingsConstraints =
    Math.max(box.width, box.height) > maxSide
      ? { type: box.width >= box.height ? 'WIDTH' : 'HEIGHT', value: maxSide }
      : { type: 'SCALE', value: 1 };
  return { format, constraint, useAbsoluteBounds: true };
}

/** Keeps the smaller of two encodings of the same picture (ties go to the first, lossless one). */
export function smaller<T extends { bytes: Uint8Array }>(first: T, second: T): T {
  return second.bytes.byteLength < first.bytes.byteLength ? second : first;
}
