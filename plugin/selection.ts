// Selection → targets (can receive an image) and skipped layers (with the reason shown to the
// user). Pure reads of node properties; no canvas changes.
import type { SceneNode } from './figma-types';
import type { Selection, Skipped, Target } from './messages';
import { blockedBy, findMaskLayer, isEmptyTarget, isTargetType, quoted } from './node-utils';
import { framefillFillHash } from './provenance';
import { discoverTexts } from './text-discovery';

const TYPE_REASONS: Record<string, string> = {
  GROUP: "Groups can't hold an image fill — select a frame or shape inside it",
  TEXT: "Text can't hold an image — select a frame or shape",
  SLICE: 'Slices only mark an export area — select a frame or shape',
  SECTION: 'Sections organise the canvas — select a frame or shape inside it',
  COMPONENT_SET: 'Component sets hold variants — select one variant',
  LINE: 'Lines have no area to fill — select a frame or shape',
};

export type Classified = { kind: 'target'; target: Target } | { kind: 'skipped'; skipped: Skipped };

export function classify(node: SceneNode): Classified {
  const skip = (reason: string): Classified => ({ kind: 'skipped', skipped: { id: node.id, name: node.name, type: node.type, reason } });
  if (!isTargetType(node)) {
    return skip(TYPE_REASONS[node.type] ?? `${readableType(node.type)} layers can't hold an image fill — select a frame or shape`);
  }
  const blocked = blockedBy(node);
  if (blocked?.node === node) return skip(blocked.why === 'locked' ? 'Locked — unlock it to fill it' : 'Hidden — show it to fill it');
  if (blocked) {
    return skip(blocked.why === 'locked'
      ? `Inside the locked layer ${quoted(blocked.node.name)} — unlock it to fill this`
      : `Inside the hidden layer ${quoted(blocked.node.name)} — show it to fill this`);
  }
  if (node.width < 1 || node.height < 1) return skip('Too small to hold an image — resize it to at least 1×1');
  const mask = findMaskLayer(node);
  // A layer showing only a Framefill image is filled again (a fresh image replaces it), unless
  // the user asks to use that image as the reference.
  const framefillImage = framefillFillHash(node) !== null;
  const { texts, parentName } = discoverTexts(node);
  return {
    kind: 'target',
    target: {
      id: node.id,
      name: node.name,
      type: node.type,
      width: node.width,
      height: node.height,
      empty: framefillImage || isEmptyTarget(node),
      maskId: mask ? mask.id : null,
      ...(framefillImage ? { framefillImage } : {}),
      ...(texts.length > 0 ? { texts } : {}),
      ...(parentName ? { parentName } : {}),
    },
  };
}

export function describeSelection(nodes: readonly SceneNode[]): Selection {
  const selection: Selection = { targets: [], skipped: [] };
  for (const node of nodes) {
    const c = classify(node);
    if (c.kind === 'target') selection.targets.push(c.target);
    else selection.skipped.push(c.skipped);
  }
  return selection;
}

function readableType(type: string): string {
  const words = type.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
