// Where a result goes, decided at placement time: the target itself, the spot a vanished or
// unusable target had, or the middle of the view. Whatever happened to the target meanwhile,
// the user's paid-for image still lands somewhere visible, with a notice saying where.
import type { PluginAPI, SceneNode } from './figma-types';
import { blockedBy, isTargetType, pageOf, quoted, type TargetNode } from './node-utils';
import { pageBox, pageGeometry, type Box, type GeometryMemory, type PageGeometry } from './geometry';

export type Anchor =
  | { kind: 'target'; node: TargetNode }
  | { kind: 'spot'; geometry: PageGeometry; box: Box; notice: string }
  | { kind: 'viewport'; notice: string | null };

export async function resolveAnchor(api: PluginAPI, targetId: string | null, memory: GeometryMemory): Promise<Anchor> {
  if (targetId === null) return { kind: 'viewport', notice: null };
  const node = await api.getNodeByIdAsync(targetId);
  const known = memory.get(targetId);
  const here = api.currentPage;
  const knownHere = known && known.geometry.pageId === here.id ? known : undefined;

  if (!node || node.removed) {
    const name = quoted(known?.name ?? 'The target');
    return knownHere
      ? { kind: 'spot', geometry: knownHere.geometry, box: knownHere.box, notice: `${name} was deleted while the image was made — placed the image where it was` }
      : { kind: 'viewport', notice: `${name} was deleted while the image was made — placed the image in the middle of the view` };
  }
  const name = quoted(node.name);
  const page = pageOf(node);
  if (!page || page.id !== here.id) {
    return knownHere
      ? { kind: 'spot', geometry: knownHere.geometry, box: knownHere.box, notice: `${name} moved to ${quoted(page?.name ?? 'another page')} — placed the image here, where it was` }
      : { kind: 'viewport', notice: `${name} is on ${quoted(page?.name ?? 'another page')}, not this page — placed the image in the middle of the view` };
  }
  const scene = node as SceneNode;
  const geometry = pageGeometry(scene);
  const box = pageBox(scene);
  const spot = (notice: string): Anchor =>
    geometry && box ? { kind: 'spot', geometry, box, notice } : { kind: 'viewport', notice };
  if (!isTargetType(scene)) return spot(`${name} can't hold an image — placed it as a new layer over it`);
  const blocked = blockedBy(scene);
  if (blocked) {
    const who = blocked.node === scene ? name : `${name} is inside ${quoted(blocked.node.name)}, which`;
    return spot(`${who} is ${blocked.why} — placed the image as a new layer over it, leaving it untouched`);
  }
  return { kind: 'target', node: scene };
}
