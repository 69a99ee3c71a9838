// What the playground exposes as window.__playground, for browser tests (page.evaluate) and
// for poking at the fake from the devtools console.
import type { ExportRecord, FakeFigma, FakeNode, Notification } from '../fake-figma/index';
import type { ThemeName } from './theme';

export interface SnapshotPaint {
  type: string;
  imageHash?: string | null;
  scaleMode?: string;
  color?: { r: number; g: number; b: number };
  visible?: boolean;
}

export interface SnapshotNode {
  id: string;
  name: string;
  type: string;
  parentId: string | null;
  /** position among the parent's children (higher is drawn on top) */
  index: number;
  x: number;
  y: number;
  width: number;
  height: number;
  rotation: number;
  box: { x: number; y: number; width: number; height: number } | null;
  visible: boolean;
  fills: SnapshotPaint[] | 'mixed' | null;
  characters?: string;
  /** pluginData keys (Framefill's provenance lives there) */
  pluginData: Record<string, string>;
}

export interface Snapshot {
  /** every node on the current page, in document order */
  nodes: SnapshotNode[];
  selection: string[];
  undoSteps: number;
  commitUndoCalls: number;
  images: { hash: string; width: number; height: number; bytes: number }[];
  exports: ExportRecord[];
  notifications: Notification[];
  viewport: { center: { x: number; y: number }; zoom: number };
  /** ids of nodes the plugin created that are still in the document */
  created: string[];
  panelOpen: boolean;
  theme: ThemeName;
}

export interface PlaygroundApi {
  /** true once the plugin code ran and the panel was asked to open */
  ready: boolean;
  /** why the playground could not start */
  error: string | null;
  demo: boolean;
  /** how many times the plugin was run (1 after the start; +1 per Run Framefill) */
  sessions: number;
  fake: FakeFigma;
  /**
   * demo scene node ids by role: iphone, desktop, square, banner, card, group, caption;
   * (issue 14) productCard1–4 (auto-layout cards) each holding productPhoto1–4 (empty frame) and
   * productTitle1–4 ("Copper kettle", "Linen bath towel", "Oak cutting board", "Wool throw")
   */
  scene: Record<string, string>;
  select(ids: string[]): void;
  undo(): string[];
  /** the user's Redo (Ctrl/⌘+Shift+Z, or the toolbar's Redo): the last undone step again */
  redo(): string[];
  /** the user resizes a layer on the canvas (its own undo step; the plugin hears a nodechange) */
  resize(id: string, width: number, height: number): void;
  /** the user deletes a layer (its own undo step) */
  remove(id: string): void;
  /** the user renames a layer (its own undo step) */
  rename(id: string, name: string): void;
  /**
   * (issue 15) The user draws a shape with Figma's rectangle or ellipse tool inside a frame (e.g.
   * a "Framefill area"): `box` in the parent's coordinates. Its own undo step, the new shape
   * selected; the plugin hears a nodechange. Returns the new shape's id.
   */
  draw(parentId: string, kind: 'rectangle' | 'ellipse', box: { x: number; y: number; width: number; height: number }): string;
  /**
   * The user selects the node and presses its relaunch button (e.g. "regenerate", Regenerate):
   * the running plugin closes and starts again with figma.command === key. Throws when the node
   * has no such button.
   */
  relaunch(nodeId: string, key: string): Promise<void>;
  /**
   * The user runs a quick action (e.g. "generate", Framefill: Generate) with the parameters
   * they typed ({ prompt, tier }): the plugin (re)starts with that command and parameters.
   */
  quickAction(command: string, parameters: Record<string, unknown>): Promise<void>;
  /** the × on the plugin window: figma.closePlugin (the panel and its requests go) */
  closePlugin(): void;
  /** Run Framefill: evaluates the built plugin again on the same document and clientStorage */
  runPlugin(): Promise<void>;
  setTheme(theme: ThemeName): void;
  zoomToFit(): void;
  snapshot(): Snapshot;
  /** an image's bytes (from figma.getImageByHash), base64 */
  imageBase64(hash: string): Promise<string>;
}

export function snapshotOf(fake: FakeFigma, extra: { panelOpen: boolean; theme: ThemeName }): Snapshot {
  const nodes: SnapshotNode[] = [];
  const walk = (node: FakeNode, parent: FakeNode | null, index: number) => {
    if (node.type !== 'PAGE') {
      const fills = 'fills' in node ? (Array.isArray(node.fills) ? (node.fills as SnapshotPaint[]).map((p) => ({ ...p })) : 'mixed') : null;
      const pluginData: Record<string, string> = {};
      for (const key of node.getPluginDataKeys()) pluginData[key] = node.getPluginData(key);
      nodes.push({
        id: node.id,
        name: node.name,
        type: node.type,
        parentId: parent && parent.type !== 'PAGE' ? parent.id : null,
        index,
        x: node.x,
        y: node.y,
        width: node.width,
        height: node.height,
        rotation: node.rotation,
        box: node.absoluteBoundingBox,
        visible: node.visible,
        fills,
        ...(node.type === 'TEXT' ? { characters: node.characters } : {}),
        pluginData,
      });
    }
    ('children' in node ? node.children : []).forEach((child, i) => walk(child, node, i));
  };
  walk(fake.currentPage, null, 0);
  const viewport = fake.figma.viewport;
  return {
    nodes,
    selection: fake.currentPage.selection.map((n) => n.id),
    undoSteps: fake.undoSteps,
    commitUndoCalls: fake.commitUndoCalls,
    images: [...fake.images.values()].map((r) => ({ hash: r.hash, width: r.width, height: r.height, bytes: r.bytes.byteLength })),
    exports: fake.exports.map((e) => structuredClone(e)),
    notifications: fake.notifications.map((n) => structuredClone(n)),
    viewport: { center: { ...viewport.center }, zoom: viewport.zoom },
    created: fake.created().map((n) => n.id),
    ...extra,
  };
}

declare global {
  interface Window {
    __playground?: PlaygroundApi;
  }
}
