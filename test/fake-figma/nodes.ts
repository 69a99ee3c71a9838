// The fake document tree. Nodes model what Framefill touches: geometry (x/y/size/rotation,
// absolute transform and bounds), paints as immutable arrays (reassign to change, like Figma),
// visibility/locking/masks, children order, constraints, auto layout, plugin and relaunch data,
// and exportAsync producing real image bytes. Which properties a node has depends on its type,
// so `'fills' in node` answers as in Figma. Every change is journaled for undo.
import type { Effect, ExportSettings, Paint, Rect, Transform } from '../../plugin/figma-types';
import type { ImageCodec, PixelRect } from './codec';
import type { Journal } from './journal';

export type FakeNodeType =
  | 'DOCUMENT'
  | 'PAGE'
  | 'FRAME'
  | 'COMPONENT'
  | 'COMPONENT_SET'
  | 'INSTANCE'
  | 'GROUP'
  | 'BOOLEAN_OPERATION'
  | 'SECTION'
  | 'RECTANGLE'
  | 'ELLIPSE'
  | 'POLYGON'
  | 'STAR'
  | 'VECTOR'
  | 'LINE'
  | 'TEXT'
  | 'SLICE';

export interface ExportRecord {
  nodeId: string;
  settings: ExportSettings | undefined;
  format: 'png' | 'jpeg';
  width: number;
  height: number;
  /** opaque areas in export pixels: which layers were painted */
  painted: PixelRect[];
  /** ids of the layers painted */
  paintedIds: string[];
  bytes: number;
}

export interface FakeImageRecord {
  hash: string;
  bytes: Uint8Array;
  width: number;
  height: number;
}

/** What nodes need from the fake figma around them. */
export interface World {
  journal: Journal;
  codec: ImageCodec;
  mixed: symbol;
  nextId(): string;
  register(node: FakeNode): void;
  images: Map<string, FakeImageRecord>;
  exports: ExportRecord[];
  /** a node left the document (drop it from selections) */
  detached(node: FakeNode): void;
}

type Matrix = [[number, number, number], [number, number, number]];
const IDENTITY: Matrix = [
  [1, 0, 0],
  [0, 1, 0],
];

function multiply(a: Matrix, b: Matrix): Matrix {
  const m: Matrix = [
    [a[0][0] * b[0][0] + a[0][1] * b[1][0], a[0][0] * b[0][1] + a[0][1] * b[1][1], a[0][0] * b[0][2] + a[0][1] * b[1][2] + a[0][2]],
    [a[1][0] * b[0][0] + a[1][1] * b[1][0], a[1][0] * b[0][1] + a[1][1] * b[1][1], a[1][0] * b[0][2] + a[1][1] * b[1][2] + a[1][2]],
  ];
  return m.map((row) => row.map(clean)) as Matrix;
}

/** Figma's convention: [[cos, sin, x], [-sin, cos, y]]; rotation = atan2(-m10, m00). */
function transformOf(x: number, y: number, rotation: number): Matrix {
  const r = (rotation * Math.PI) / 180;
  const cos = clean(Math.cos(r));
  const sin = clean(Math.sin(r));
  return [
    [cos, sin, x],
    [clean(-sin), cos, y],
  ];
}

/** Rounds away float noise and -0, so transforms compare cleanly. */
function clean(n: number): number {
  return Math.abs(n) < 1e-12 ? 0 : n + 0;
}

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0][0] * x + m[0][1] * y + m[0][2], m[1][0] * x + m[1][1] * y + m[1][2]];
}

function union(boxes: Rect[]): Rect | null {
  if (!boxes.length) return null;
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  const x1 = Math.max(...boxes.map((b) => b.x + b.width));
  const y1 = Math.max(...boxes.map((b) => b.y + b.height));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

function intersect(a: Rect, b: Rect): Rect | null {
  const x0 = Math.max(a.x, b.x);
  const y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.width, b.x + b.width);
  const y1 = Math.min(a.y + a.height, b.y + b.height);
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : null;
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const FRAME_LIKE = new Set<FakeNodeType>(['FRAME', 'COMPONENT', 'COMPONENT_SET', 'INSTANCE']);
/** Nodes whose children are positioned in the node's own coordinates. */
const COORDINATE_CONTAINERS = new Set<FakeNodeType>([...FRAME_LIKE, 'SECTION']);
/** Nodes whose box is the union of their children. */
const DERIVED_BOX = new Set<FakeNodeType>(['GROUP', 'BOOLEAN_OPERATION']);
const HAS_CHILDREN = new Set<FakeNodeType>(['DOCUMENT', 'PAGE', ...FRAME_LIKE, 'GROUP', 'BOOLEAN_OPERATION', 'SECTION']);
const HAS_FILLS = new Set<FakeNodeType>([...FRAME_LIKE, 'BOOLEAN_OPERATION', 'SECTION', 'RECTANGLE', 'ELLIPSE', 'POLYGON', 'STAR', 'VECTOR', 'LINE', 'TEXT']);
const HAS_BLEND = new Set<FakeNodeType>([...FRAME_LIKE, 'GROUP', 'BOOLEAN_OPERATION', 'RECTANGLE', 'ELLIPSE', 'POLYGON', 'STAR', 'VECTOR', 'LINE', 'TEXT']);
const HAS_CONSTRAINTS = new Set<FakeNodeType>([...FRAME_LIKE, 'RECTANGLE', 'ELLIPSE', 'POLYGON', 'STAR', 'VECTOR', 'LINE', 'TEXT', 'SLICE']);
const PAINT_TYPES = new Set(['SOLID', 'GRADIENT_LINEAR', 'GRADIENT_RADIAL', 'GRADIENT_ANGULAR', 'GRADIENT_DIAMOND', 'IMAGE', 'VIDEO', 'PATTERN']);

export interface NodeProps {
  name?: string;
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  rotation?: number;
  visible?: boolean;
  locked?: boolean;
  isMask?: boolean;
  opacity?: number;
  fills?: readonly Paint[] | 'mixed';
  strokes?: readonly Paint[];
  effects?: readonly Effect[];
  constraints?: { horizontal: string; vertical: string };
  clipsContent?: boolean;
  layoutMode?: 'NONE' | 'HORIZONTAL' | 'VERTICAL';
  itemSpacing?: number;
  characters?: string;
  /** TEXT: one font size for the whole layer (default 16) */
  fontSize?: number;
  /** TEXT: runs of differing font sizes (their characters joined make `characters`; fontSize reads figma.mixed) */
  runs?: readonly { characters: string; fontSize: number }[];
  children?: FakeNode[];
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The plugin id the fake runs as (manifest.json's id). */
const PLUGIN_ID = 'framefill';
/** Figma's cap on one pluginData entry: 100 kB (read as 100,000 bytes, the stricter reading). */
export const MAX_PLUGIN_DATA_BYTES = 100_000;
const utf8Bytes = (text: string) => new TextEncoder().encode(text).byteLength;

export class FakeNode {
  readonly id: string;
  readonly type: FakeNodeType;
  private readonly s: Record<string, unknown> = {};
  private _parent: FakeNode | null = null;
  private _removed = false;
  private readonly _children: FakeNode[] = [];
  private readonly pluginData = new Map<string, string>();
  private relaunch: Record<string, string> = {};

  // Declared for tests; which of these exist on a given node depends on its type (see install()).
  declare fills: readonly Paint[] | symbol;
  declare strokes: readonly Paint[];
  declare strokeWeight: number;
  declare dashPattern: readonly number[];
  declare effects: readonly Effect[];
  declare opacity: number;
  declare isMask: boolean;
  declare constraints: { horizontal: string; vertical: string };
  declare clipsContent: boolean;
  declare layoutMode: 'NONE' | 'HORIZONTAL' | 'VERTICAL';
  declare itemSpacing: number;
  declare layoutPositioning: 'AUTO' | 'ABSOLUTE';
  declare characters: string;
  declare fontSize: number | symbol;
  declare getStyledTextSegments: (fields: readonly string[]) => { characters: string; start: number; end: number; fontSize: number }[];
  declare children: readonly FakeNode[];
  declare appendChild: (child: FakeNode) => void;
  declare insertChild: (index: number, child: FakeNode) => void;

  constructor(
    private readonly world: World,
    type: FakeNodeType,
    props: NodeProps = {},
    id?: string,
  ) {
    this.type = type;
    this.id = id ?? world.nextId();
    this.s.name = props.name ?? defaultName(type);
    this.s.visible = props.visible ?? true;
    this.s.locked = props.locked ?? false;
    this.s.x = props.x ?? 0;
    this.s.y = props.y ?? 0;
    this.s.width = props.width ?? 100;
    this.s.height = props.height ?? 100;
    this.s.rotation = props.rotation ?? 0;
    this.install(props);
    world.register(this);
  }

  // ---------- property plumbing ----------

  private read<T>(key: string): T {
    return this.s[key] as T;
  }

  private write(key: string, value: unknown, after?: () => void): void {
    const old = this.s[key];
    if (Object.is(old, value)) return;
    this.s[key] = value;
    this.world.journal.record(`${this.name}.${key}`, { id: this.id, type: 'PROPERTY_CHANGE', property: key }, () => {
      this.s[key] = old;
      after?.();
    }, () => {
      this.s[key] = value;
      after?.();
    });
    after?.();
  }

  private define(key: string, initial: unknown, set: (value: never) => unknown, after?: () => void): void {
    this.s[key] = initial;
    Object.defineProperty(this, key, {
      enumerable: true,
      configurable: true,
      get: () => this.s[key],
      set: (value: never) => this.write(key, set(value), after),
    });
  }

  private install(p: NodeProps): void {
    const t = this.type;
    if (HAS_FILLS.has(t)) {
      const fills = p.fills === 'mixed' ? this.world.mixed : this.paints(p.fills ?? defaultFills(t));
      this.define('fills', fills, (v: readonly Paint[] | symbol) => (v === this.world.mixed ? v : this.paints(v as readonly Paint[])));
      this.define('strokes', this.paints(p.strokes ?? []), (v: readonly Paint[]) => this.paints(v));
      this.define('strokeWeight', 1, (v: number) => {
        if (typeof v !== 'number' || !(v >= 0)) throw new Error(`strokeWeight must be a number ≥ 0 (got ${String(v)})`);
        return v;
      });
      this.define('dashPattern', deepFreeze([]), (v: readonly number[]) => {
        if (!Array.isArray(v) || v.some((n) => typeof n !== 'number' || n < 0)) throw new Error('dashPattern must be an array of lengths ≥ 0');
        return deepFreeze([...v]);
      });
    }
    if (HAS_BLEND.has(t)) {
      this.define('opacity', p.opacity ?? 1, (v: number) => {
        if (typeof v !== 'number' || v < 0 || v > 1) throw new Error(`opacity must be between 0 and 1 (got ${String(v)})`);
        return v;
      });
      this.define('isMask', p.isMask ?? false, (v: boolean) => Boolean(v));
      this.define('effects', deepFreeze([...(p.effects ?? [])]), (v: readonly Effect[]) => {
        if (!Array.isArray(v)) throw new Error('effects must be an array');
        return deepFreeze(structuredClone([...v]));
      });
    }
    if (HAS_CONSTRAINTS.has(t)) {
      this.define('constraints', deepFreeze({ horizontal: 'MIN', vertical: 'MIN', ...p.constraints }), (v: { horizontal: string; vertical: string }) => {
        if (!v || typeof v.horizontal !== 'string' || typeof v.vertical !== 'string') throw new Error('constraints must be {horizontal, vertical}');
        return deepFreeze({ horizontal: v.horizontal, vertical: v.vertical });
      });
    }
    if (FRAME_LIKE.has(t)) {
      this.define('clipsContent', p.clipsContent ?? true, (v: boolean) => Boolean(v));
      this.define('layoutMode', p.layoutMode ?? 'NONE', (v: 'NONE' | 'HORIZONTAL' | 'VERTICAL') => v, () => this.reflow());
      this.define('itemSpacing', p.itemSpacing ?? 0, (v: number) => v, () => this.reflow());
    }
    if (t !== 'DOCUMENT' && t !== 'PAGE') {
      this.define('layoutPositioning', 'AUTO', (v: 'AUTO' | 'ABSOLUTE') => {
        if (v === 'ABSOLUTE' && !(this._parent && this._parent.isAutoLayout())) {
          throw new Error("Can only set layoutPositioning = 'ABSOLUTE' if the parent node has layoutMode !== 'NONE'");
        }
        return v;
      }, () => this._parent?.reflow());
    }
    if (t === 'TEXT') this.installText(p);
    if (HAS_CHILDREN.has(t)) {
      Object.defineProperty(this, 'children', { enumerable: true, configurable: true, get: () => Object.freeze([...this._children]) });
      this.appendChild = (child) => this.insertChild(this._children.length, child);
      this.insertChild = (index, child) => this.insertChildChecked(index, child);
    }
  }

  /** Text as Framefill reads it: characters, a font size (figma.mixed across runs) and the runs. */
  private installText(p: NodeProps): void {
    const runs = p.runs ?? [{ characters: p.characters ?? '', fontSize: p.fontSize ?? 16 }];
    this.define('characters', runs.map((r) => r.characters).join(''), (v: string) => String(v));
    const sizes = new Set(runs.map((r) => r.fontSize));
    this.define('fontSize', sizes.size === 1 ? runs[0]!.fontSize : this.world.mixed, (v: number) => v);
    this.getStyledTextSegments = () => {
      // Setting fontSize or characters afterwards makes one run again (as Figma does).
      const size = this.fontSize;
      if (typeof size === 'number' || this.characters !== runs.map((r) => r.characters).join('')) {
        const whole = typeof size === 'number' ? size : runs[0]!.fontSize;
        return [{ characters: this.characters, start: 0, end: this.characters.length, fontSize: whole }];
      }
      let start = 0;
      return runs.map((r) => {
        const segment = { characters: r.characters, start, end: start + r.characters.length, fontSize: r.fontSize };
        start = segment.end;
        return segment;
      });
    };
  }

  private paints(value: readonly Paint[]): readonly Paint[] {
    if (!Array.isArray(value)) throw new Error('Paints must be an array (fills and strokes are immutable arrays: copy, change, reassign)');
    for (const paint of value) {
      if (!paint || !PAINT_TYPES.has((paint as Paint).type)) throw new Error(`Invalid paint type ${JSON.stringify((paint as Paint | undefined)?.type)}`);
      if (paint.type === 'IMAGE' && paint.imageHash !== null && !this.world.images.has(paint.imageHash)) {
        throw new Error(`Invalid image hash ${paint.imageHash}: create the image with figma.createImage first`);
      }
    }
    return deepFreeze(structuredClone([...value]));
  }

  // ---------- identity and tree ----------

  get name(): string {
    return this.read('name');
  }
  set name(v: string) {
    this.write('name', String(v));
  }
  get visible(): boolean {
    return this.read('visible');
  }
  set visible(v: boolean) {
    this.write('visible', Boolean(v), () => this._parent?.reflow());
  }
  get locked(): boolean {
    return this.read('locked');
  }
  set locked(v: boolean) {
    this.write('locked', Boolean(v));
  }
  get parent(): FakeNode | null {
    return this._parent;
  }
  get removed(): boolean {
    return this._removed;
  }

  /** Attach without the checks or the journal (builders and reverts). */
  attach(parent: FakeNode, index = parent._children.length): void {
    this.detach();
    parent._children.splice(Math.max(0, Math.min(index, parent._children.length)), 0, this);
    this._parent = parent;
    this.setRemoved(false);
    parent.reflow();
  }

  private detach(): void {
    const parent = this._parent;
    if (!parent) return;
    const i = parent._children.indexOf(this);
    if (i >= 0) parent._children.splice(i, 1);
    this._parent = null;
    parent.reflow();
  }

  private setRemoved(removed: boolean): void {
    this._removed = removed;
    if (removed) this.world.detached(this);
    for (const child of this._children) child.setRemoved(removed);
  }

  private insertChildChecked(index: number, child: FakeNode): void {
    if (child.type === 'PAGE' || child.type === 'DOCUMENT') throw new Error('Cannot insert a page or document into a node');
    if (child._removed) throw new Error('The node (id ' + child.id + ') does not exist');
    const refuseAsParent = (n: FakeNode) => {
      if (n === child) throw new Error('Cannot move node. A node cannot be its own ancestor');
      if (n.type === 'INSTANCE') throw new Error('Cannot move node. New parent is an instance or is inside of an instance');
    };
    refuseAsParent(this);
    for (let n = this._parent; n; n = n._parent) refuseAsParent(n);
    if (!Number.isInteger(index) || index < 0 || index > this._children.length) throw new Error(`Invalid index ${index}`);
    const oldParent = child._parent;
    const oldIndex = oldParent ? oldParent._children.indexOf(child) : -1;
    child.attach(this, index);
    this.world.journal.record(`move ${child.name} into ${this.name}`, { id: child.id, type: 'PROPERTY_CHANGE', property: 'parent' }, () => {
      if (oldParent) child.attach(oldParent, oldIndex);
      else child.detach();
    }, () => child.attach(this, index));
  }

  remove(): void {
    if (this.type === 'DOCUMENT' || this.type === 'PAGE') throw new Error('Cannot remove a page or the document this way');
    if (this._removed) throw new Error(`The node with id ${this.id} does not exist`);
    const parent = this._parent;
    const index = parent ? parent._children.indexOf(this) : -1;
    this.detach();
    this.setRemoved(true);
    this.world.journal.record(`remove ${this.name}`, { id: this.id, type: 'DELETE' }, () => {
      if (parent) this.attach(parent, index);
      else this.setRemoved(false);
    }, () => {
      this.detach();
      this.setRemoved(true);
    });
  }

  /** Marks a node created by figma.createX: undoing the step deletes it again. */
  journalCreation(): void {
    const parent = this._parent;
    const index = parent ? parent._children.indexOf(this) : -1;
    this.world.journal.record(`create ${this.type} ${this.name}`, { id: this.id, type: 'CREATE' }, () => {
      this.detach();
      this.setRemoved(true);
    }, () => {
      if (parent) this.attach(parent, index);
      else this.setRemoved(false);
    });
  }

  // ---------- geometry ----------

  get x(): number {
    return DERIVED_BOX.has(this.type) ? (this.childBox()?.x ?? 0) : this.read('x');
  }
  set x(v: number) {
    this.moveBy(v - this.x, 0);
  }
  get y(): number {
    return DERIVED_BOX.has(this.type) ? (this.childBox()?.y ?? 0) : this.read('y');
  }
  set y(v: number) {
    this.moveBy(0, v - this.y);
  }
  get width(): number {
    return DERIVED_BOX.has(this.type) ? (this.childBox()?.width ?? 0) : this.read('width');
  }
  get height(): number {
    return DERIVED_BOX.has(this.type) ? (this.childBox()?.height ?? 0) : this.read('height');
  }
  get rotation(): number {
    return this.read('rotation');
  }
  /** Rotates about the node's origin (x/y stay), like Figma's setter. */
  set rotation(v: number) {
    if (DERIVED_BOX.has(this.type)) throw new Error('The fake does not rotate groups');
    this.write('rotation', normaliseDegrees(v));
  }

  private moveBy(dx: number, dy: number): void {
    if (!Number.isFinite(dx) || !Number.isFinite(dy)) throw new Error('x and y must be finite numbers');
    if (this.isLaidOut()) return; // auto layout owns the position of its flowing children
    if (DERIVED_BOX.has(this.type)) {
      for (const child of this._children) child.moveBy(dx, dy);
      return;
    }
    if (dx) this.write('x', this.read<number>('x') + dx);
    if (dy) this.write('y', this.read<number>('y') + dy);
  }

  resize(width: number, height: number): void {
    if (DERIVED_BOX.has(this.type)) throw new Error('The fake does not resize groups');
    if (!(width >= 0.01) || !(height >= 0.01)) throw new Error('Size must be at least 0.01 (got ' + width + '×' + height + ')');
    this.write('width', width, () => this._parent?.reflow());
    this.write('height', height, () => this._parent?.reflow());
  }

  resizeWithoutConstraints(width: number, height: number): void {
    this.resize(width, height);
  }

  get relativeTransform(): Transform {
    return transformOf(this.x, this.y, DERIVED_BOX.has(this.type) ? 0 : this.rotation) as Transform;
  }

  /** The node that defines this node's coordinate space (groups do not). */
  private coordinateParent(): FakeNode | null {
    let p = this._parent;
    while (p && DERIVED_BOX.has(p.type)) p = p._parent;
    return p && COORDINATE_CONTAINERS.has(p.type) ? p : null;
  }

  private matrix(): Matrix {
    const own = transformOf(this.x, this.y, DERIVED_BOX.has(this.type) ? 0 : this.rotation);
    const container = this.coordinateParent();
    if (!container) return own;
    const base = container.matrix();
    // A group's children share the group's coordinate space, so only the container's frame applies.
    return multiply(base, DERIVED_BOX.has(this.type) ? transformOf(this.x, this.y, 0) : own);
  }

  get absoluteTransform(): Transform {
    return (this.type === 'PAGE' || this.type === 'DOCUMENT' ? IDENTITY : this.matrix()) as Transform;
  }

  get absoluteBoundingBox(): Rect | null {
    if (this.type === 'PAGE' || this.type === 'DOCUMENT') return null;
    if (DERIVED_BOX.has(this.type)) return union(this._children.map((c) => c.absoluteBoundingBox).filter((b): b is Rect => !!b));
    const m = this.matrix();
    const corners = [apply(m, 0, 0), apply(m, this.width, 0), apply(m, 0, this.height), apply(m, this.width, this.height)];
    const xs = corners.map((c) => c[0]);
    const ys = corners.map((c) => c[1]);
    const round = (n: number) => Math.round(n * 1e6) / 1e6;
    return { x: round(Math.min(...xs)), y: round(Math.min(...ys)), width: round(Math.max(...xs) - Math.min(...xs)), height: round(Math.max(...ys) - Math.min(...ys)) };
  }

  /** Bounding box grown by shadows/blurs, and by children that are not clipped. Null when hidden. */
  get absoluteRenderBounds(): Rect | null {
    if (!this.visible) return null;
    const box = this.absoluteBoundingBox;
    if (!box) return null;
    const boxes: Rect[] = [box];
    for (const effect of this.hasOwn('effects') ? this.effects : []) {
      if (!effect.visible) continue;
      if (effect.type === 'DROP_SHADOW') {
        const grow = effect.radius + (effect.spread ?? 0);
        boxes.push({ x: box.x + effect.offset.x - grow, y: box.y + effect.offset.y - grow, width: box.width + 2 * grow, height: box.height + 2 * grow });
      } else if (effect.type === 'LAYER_BLUR') {
        boxes.push({ x: box.x - effect.radius, y: box.y - effect.radius, width: box.width + 2 * effect.radius, height: box.height + 2 * effect.radius });
      }
    }
    const clips = FRAME_LIKE.has(this.type) && this.clipsContent;
    if (!clips) for (const child of this._children) {
      const b = child.absoluteRenderBounds;
      if (b) boxes.push(b);
    }
    return union(boxes);
  }

  private childBox(): Rect | null {
    const boxes = this._children.map((c) => {
      // in the group's parent coordinates, unrotated approximation
      return { x: c.x, y: c.y, width: c.width, height: c.height };
    });
    return union(boxes);
  }

  // ---------- auto layout ----------

  private isAutoLayout(): boolean {
    return FRAME_LIKE.has(this.type) && this.hasOwn('layoutMode') && this.layoutMode !== 'NONE';
  }

  private isLaidOut(): boolean {
    return !!this._parent && this._parent.isAutoLayout() && this.hasOwn('layoutPositioning') && this.layoutPositioning === 'AUTO';
  }

  /** Flowing children sit one after another (no padding); absolute ones keep their x/y. */
  private reflow(): void {
    if (!this.isAutoLayout()) return;
    this.world.journal.silently(() => {
      let offset = 0;
      for (const child of this._children) {
        if (!child.visible || child.layoutPositioning === 'ABSOLUTE') continue;
        if (this.layoutMode === 'HORIZONTAL') {
          child.s.x = offset;
          child.s.y = 0;
          offset += child.width + this.itemSpacing;
        } else {
          child.s.x = 0;
          child.s.y = offset;
          offset += child.height + this.itemSpacing;
        }
      }
    });
  }

  private hasOwn(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this, key);
  }

  // ---------- data ----------

  getPluginData(key: string): string {
    return this.pluginData.get(key) ?? '';
  }
  setPluginData(key: string, value: string): void {
    if (typeof value !== 'string') throw new Error('pluginData values must be strings');
    // Figma refuses an entry (plugin id, key and value) over 100 kB since May 2025
    // (developers.figma.com/docs/plugins/api/properties/nodes-setplugindata).
    // (a JS character is at most 3 bytes of UTF-8: short entries skip the encoding)
    const entry = PLUGIN_ID + key + value;
    const bytes = entry.length * 3 <= MAX_PLUGIN_DATA_BYTES ? 0 : utf8Bytes(entry);
    if (bytes > MAX_PLUGIN_DATA_BYTES) throw new Error(`in setPluginData: the entry for "${key}" is ${bytes} bytes; plugin data is limited to 100 kB per entry`);
    const old = this.pluginData.get(key);
    if (value === '') this.pluginData.delete(key);
    else this.pluginData.set(key, value);
    const put = (v: string | undefined) => (v === undefined || v === '' ? this.pluginData.delete(key) : this.pluginData.set(key, v));
    this.world.journal.record(`${this.name} pluginData ${key}`, { id: this.id, type: 'PROPERTY_CHANGE', property: 'pluginData' }, () => put(old), () => put(value));
  }
  getPluginDataKeys(): string[] {
    return [...this.pluginData.keys()];
  }
  getRelaunchData(): Record<string, string> {
    return { ...this.relaunch };
  }
  setRelaunchData(data: Record<string, string>): void {
    for (const [k, v] of Object.entries(data)) {
      if (typeof v !== 'string') throw new Error(`relaunch data for "${k}" must be a string`);
      // Figma: "This method will throw if description exceeds 1000 characters."
      if (v.length > 1000) throw new Error(`in setRelaunchData: the description for "${k}" is ${v.length} characters; at most 1000 are allowed`);
    }
    const old = this.relaunch;
    this.relaunch = { ...data };
    const next = this.relaunch;
    this.world.journal.record(`${this.name} relaunchData`, { id: this.id, type: 'PROPERTY_CHANGE', property: 'relaunchData' }, () => {
      this.relaunch = old;
    }, () => {
      this.relaunch = next;
    });
  }

  // ---------- export ----------

  async exportAsync(settings?: ExportSettings): Promise<Uint8Array> {
    if (this.type === 'DOCUMENT' || this.type === 'PAGE') throw new Error('exportAsync is not available on pages in the fake');
    if (this._removed) throw new Error(`The node with id ${this.id} does not exist`);
    const format = settings?.format ?? 'PNG';
    if (format !== 'PNG' && format !== 'JPG') throw new Error(`The fake only exports PNG and JPG (asked for ${format})`);
    const image = settings as (ExportSettings & { useAbsoluteBounds?: boolean; constraint?: { type: string; value: number } }) | undefined;
    const box = image?.useAbsoluteBounds ? this.absoluteBoundingBox : (this.absoluteRenderBounds ?? this.absoluteBoundingBox);
    if (!box || box.width <= 0 || box.height <= 0) throw new Error('Failed to export: the node has no size');
    const constraint = image?.constraint ?? { type: 'SCALE', value: 1 };
    const scale = constraint.type === 'WIDTH' ? constraint.value / box.width : constraint.type === 'HEIGHT' ? constraint.value / box.height : constraint.value;
    if (!(scale > 0)) throw new Error('Invalid export constraint');
    const width = Math.max(1, Math.round(box.width * scale));
    const height = Math.max(1, Math.round(box.height * scale));
    const painted: Array<{ id: string; rect: PixelRect }> = [];
    this.collectPaint(true, box, box, scale, painted);
    const kind = format === 'PNG' ? 'png' : 'jpeg';
    const seed = hashString(this.id + painted.map((p) => p.id).join(',')) % 997;
    const rects = painted.map((p) => p.rect);
    const bytes = this.world.codec.encodeImage(kind, width, height, seed, rects);
    this.world.exports.push({ nodeId: this.id, settings, format: kind, width, height, painted: rects, paintedIds: painted.map((p) => p.id), bytes: bytes.byteLength });
    return bytes;
  }

  private paintsSomething(): boolean {
    if (this.hasOwn('opacity') && this.opacity === 0) return false;
    if (this.hasOwn('isMask') && this.isMask) return false; // a Figma mask is not painted itself
    if (this.type === 'TEXT') return true;
    if (!this.hasOwn('fills')) return false;
    const visible = (paints: readonly Paint[] | symbol) => (Array.isArray(paints) ? (paints as readonly Paint[]).some((p) => p.visible !== false && (p.opacity ?? 1) > 0) : true);
    return visible(this.fills) || visible(this.strokes);
  }

  private collectPaint(isRoot: boolean, exportBox: Rect, clip: Rect, scale: number, out: Array<{ id: string; rect: PixelRect }>): void {
    if (!isRoot && !this.visible) return;
    const box = this.absoluteBoundingBox;
    if (box && this.paintsSomething()) {
      const visible = intersect(box, clip);
      if (visible) {
        out.push({
          id: this.id,
          rect: {
            x: Math.round((visible.x - exportBox.x) * scale),
            y: Math.round((visible.y - exportBox.y) * scale),
            width: Math.round(visible.width * scale),
            height: Math.round(visible.height * scale),
          },
        });
      }
    }
    const childClip = FRAME_LIKE.has(this.type) && this.clipsContent && box ? intersect(clip, box) : clip;
    if (!childClip) return;
    for (const child of this._children) child.collectPaint(false, exportBox, childClip, scale, out);
  }

  toString(): string {
    return `[${this.type} ${this.id} "${this.name}"]`;
  }
}

function normaliseDegrees(v: number): number {
  if (!Number.isFinite(v)) throw new Error('rotation must be a finite number');
  let r = ((v + 180) % 360 + 360) % 360 - 180;
  if (r === -180 && v > 0) r = 180;
  return r;
}

function defaultName(type: FakeNodeType): string {
  if (type === 'BOOLEAN_OPERATION') return 'Union';
  return type.charAt(0) + type.slice(1).toLowerCase().replace(/_/g, ' ');
}

function defaultFills(type: FakeNodeType): Paint[] {
  if (FRAME_LIKE.has(type)) return [{ type: 'SOLID', color: { r: 1, g: 1, b: 1 } }];
  if (type === 'SECTION') return [{ type: 'SOLID', color: { r: 0.96, g: 0.96, b: 0.96 } }];
  if (type === 'TEXT') return [{ type: 'SOLID', color: { r: 0, g: 0, b: 0 } }];
  if (type === 'LINE') return [];
  return [{ type: 'SOLID', color: { r: 0.85, g: 0.85, b: 0.85 } }];
}
