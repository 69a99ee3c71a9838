// The selection as the panel sees it, read asynchronously: an area frame (or anything inside it)
// stands for its target, each target is described (selection.ts, pure), then told what image it
// shows (its natural size is Figma's to answer, asynchronously) and which area it has.
import type { PluginAPI, SceneNode } from './figma-types';
import type { Selection, Skipped } from './messages';
import { describeSelection } from './selection';
import { areaContaining, areaOf } from './area';
import { imageFillOf } from './image-fill';
import { isTargetType } from './node-utils';
import { COUNT_VISITS, countByKind, emptyLayersInside, MAX_FOUND } from './empty-inside';

export interface ReadSelection {
  selection: Selection;
  /** the nodes the targets stand for (area frames replaced by their targets) */
  nodes: SceneNode[];
}

export async function readSelection(api: PluginAPI, selected: readonly SceneNode[]): Promise<ReadSelection> {
  const nodes: SceneNode[] = [];
  const gone: Skipped[] = [];
  for (const node of selected) {
    const link = areaContaining(node);
    if (!link) {
      if (!nodes.includes(node)) nodes.push(node);
      continue;
    }
    const target = await api.getNodeByIdAsync(link.targetId);
    if (!target || target.removed || target.type === 'PAGE' || target.type === 'DOCUMENT') {
      gone.push({ id: node.id, name: node.name, type: node.type, reason: 'The layer this area was made for has been deleted — delete the area, or undo to bring the layer back' });
    } else if (!nodes.includes(target as SceneNode)) {
      nodes.push(target as SceneNode); // target and its area both selected: one target
    }
  }
  const selection = describeSelection(nodes);
  selection.skipped.push(...gone);
  const inside = emptyLayersInside(nodes, { visits: COUNT_VISITS, found: MAX_FOUND });
  if (inside.nodes.length > 0) selection.emptyInside = { ...countByKind(inside.nodes), ...(inside.complete ? {} : { more: true }) };
  for (const target of selection.targets) {
    const node = nodes.find((n) => n.id === target.id);
    if (!node || !isTargetType(node)) continue;
    const image = await imageFillOf(api, node);
    if (image) target.image = image;
    const area = areaOf(node);
    if (area) target.areaId = area.id;
  }
  return { selection, nodes };
}
