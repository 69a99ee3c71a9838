// Canvas geometry: where a target is on its page, and the pure arithmetic of placing results.
import type { SceneNode, Transform, Vector } from './figma-types';
import { pageOf } from './node-utils';

/** A node's frame in page coordinates (top-left corner of the unrotated box, then rotation). */
export interface PageGeometry {
  pageId: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** degrees, Figma's convention */
  rotation: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A node's rotation on its page in degrees, unrounded (its parents' included). */
export function pageRotation(node: SceneNode & { absoluteTransform: Transform }): number {
  // absoluteTransform is [[cos, sin, x], [-sin, cos, y]] for a rotation (flips are not kept).
  const [[a], [c]] = node.absoluteTransform;
  return (Math.atan2(-c, a) * 180) / Math.PI;
}

export function pageGeometry(node: SceneNode): PageGeometry | null {
  const page = pageOf(node);
  if (!page || !('absoluteTransform' in node)) return null;
  const [[, , tx], [, , ty]] = node.absoluteTransform;
  return {
    pageId: page.id,
    x: tx,
    y: ty,
    width: node.width,
    height: node.height,
    rotation: round3(pageRotation(node)),
  };
}

/** The axis-aligned box a node covers on its page. */
export function pageBox(node: SceneNode): Box | null {
  if ('absoluteBoundingBox' in node && node.absoluteBoundingBox) return { ...node.absoluteBoundingBox };
  const g = pageGeometry(node);
  return g ? { x: g.x, y: g.y, width: g.width, height: g.height } : null;
}

/** Last known place of each target, so a result still lands where its target was. */
export class GeometryMemory {
  private readonly known = new Map<string, { geometry: PageGeometry; box: Box; name: string }>();

  remember(node: SceneNode): void {
    const geometry = pageGeometry(node);
    const box = pageBox(node);
    if (geometry && box) this.known.set(node.id, { geometry, box, name: node.name });
  }

  /** (issue 16) a place kept from an earlier session (an overnight item's target); what this session saw wins */
  recall(id: string, known: { geometry: PageGeometry; box: Box; name: string }): void {
    if (!this.known.has(id)) this.known.set(id, known);
  }

  get(id: string): { geometry: PageGeometry; box: Box; name: string } | undefined {
    return this.known.get(id);
  }
}

/** Scales (w, h) down so the longest side is at most `max`, keeping the aspect. */
export function fitWithin(width: number, height: number, max: number): { width: number; height: number } {
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

export function centredAt(center: Vector, size: { width: number; height: number }): Box {
  return { x: Math.round(center.x - size.width / 2), y: Math.round(center.y - size.height / 2), ...size };
}

/** The i-th box of a row starting `gap` to the right of `anchor`, each the size of `size`. */
export function rightOf(anchor: Box, size: { width: number; height: number }, index: number, gap: number): Box {
  return { x: anchor.x + anchor.width + gap + index * (size.width + gap), y: anchor.y, ...size };
}

function round3(n: number): number {
  const r = Math.round(n * 1000) / 1000;
  return Object.is(r, -0) ? 0 : r;
}
