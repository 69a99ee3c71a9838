// Draws the fake figma's current page like Figma's canvas: nodes as positioned divs through the
// fake's viewport (centre and zoom), IMAGE fills from the fake's image store as blob URLs, frame
// names above top-level frames, and selection outlines. Clicks select through
// currentPage.selection (so selectionchange fires), with Figma's rules: children of a top-level
// frame are picked directly, a group is picked whole, shift toggles, empty canvas clears.
import type { FakeFigma, FakeNode } from '../fake-figma/index';
import type { Paint } from '../../plugin/figma-types';

type Affine = [[number, number, number], [number, number, number]];
const IDENTITY: Affine = [
  [1, 0, 0],
  [0, 1, 0],
];
const FRAME_LIKE = new Set(['FRAME', 'COMPONENT', 'COMPONENT_SET', 'INSTANCE', 'SECTION']);
const DERIVED = new Set(['GROUP', 'BOOLEAN_OPERATION']);
/** Margin around everything when zooming to fit, in screen px. */
const FIT_MARGIN = 48;

function invert(m: Affine): Affine {
  const [[a, b, tx], [c, d, ty]] = m;
  const det = a * d - b * c || 1;
  return [
    [d / det, -b / det, (b * ty - d * tx) / det],
    [-c / det, a / det, (c * tx - a * ty) / det],
  ];
}

function multiply(p: Affine, q: Affine): Affine {
  return [
    [p[0][0] * q[0][0] + p[0][1] * q[1][0], p[0][0] * q[0][1] + p[0][1] * q[1][1], p[0][0] * q[0][2] + p[0][1] * q[1][2] + p[0][2]],
    [p[1][0] * q[0][0] + p[1][1] * q[1][0], p[1][0] * q[0][1] + p[1][1] * q[1][1], p[1][0] * q[0][2] + p[1][1] * q[1][2] + p[1][2]],
  ];
}

/** Figma's [[m00, m01, m02], [m10, m11, m12]] as CSS matrix(a, b, c, d, e, f). */
function cssMatrix(m: Affine): string {
  return `matrix(${m[0][0]}, ${m[1][0]}, ${m[0][1]}, ${m[1][1]}, ${m[0][2]}, ${m[1][2]})`;
}

function rgba(color: { r: number; g: number; b: number; a?: number }, opacity = 1): string {
  const c = (v: number) => Math.round(Math.max(0, Math.min(1, v)) * 255);
  return `rgba(${c(color.r)}, ${c(color.g)}, ${c(color.b)}, ${(color.a ?? 1) * opacity})`;
}

function paintsOf(node: FakeNode): readonly Paint[] {
  return 'fills' in node && Array.isArray(node.fills) ? (node.fills as readonly Paint[]) : [];
}

/** The node a click on `hit` selects. */
export function selectableFor(hit: FakeNode): FakeNode {
  const chain: FakeNode[] = [];
  for (let n: FakeNode | null = hit; n && n.type !== 'PAGE' && n.type !== 'DOCUMENT'; n = n.parent) chain.unshift(n);
  const top = chain[0] ?? hit;
  // Top-level frames and sections are see-through: their direct children are picked.
  return FRAME_LIKE.has(top.type) && chain.length > 1 ? chain[1]! : top;
}

export interface CanvasView {
  /** redraws when anything visible changed (cheap to call often) */
  refresh(force?: boolean): void;
  /** sets the fake's viewport to show every layer */
  zoomToFit(): void;
}

export function createCanvasView(root: HTMLElement, fake: FakeFigma): CanvasView {
  const urls = new Map<string, string | 'loading'>();
  let last = '';

  const viewport = () => fake.figma.viewport as unknown as { center: { x: number; y: number }; zoom: number };

  function imageUrl(hash: string): string | null {
    const known = urls.get(hash);
    if (known === 'loading') return null;
    if (known) return known;
    urls.set(hash, 'loading');
    const image = fake.figma.getImageByHash(hash);
    if (!image) return null;
    void image.getBytesAsync().then((bytes) => {
      const type = bytes[0] === 0x89 ? 'image/png' : bytes[0] === 0xff ? 'image/jpeg' : bytes[0] === 0x47 ? 'image/gif' : 'application/octet-stream';
      urls.set(hash, URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type })));
      refresh(true);
    });
    return null;
  }

  /** CSS background layers, topmost first (Figma draws the last paint on top). */
  function background(paints: readonly Paint[], box: { width: number; height: number }): string {
    const layers: string[] = [];
    for (const paint of [...paints].reverse()) {
      if (paint.visible === false) continue;
      if (paint.type === 'SOLID') {
        const c = rgba(paint.color, paint.opacity ?? 1);
        layers.push(`linear-gradient(${c}, ${c})`);
      } else if (paint.type === 'IMAGE' && paint.imageHash) {
        const url = imageUrl(paint.imageHash);
        const size = paint.scaleMode === 'FIT' ? 'contain' : paint.scaleMode === 'TILE' ? 'auto' : 'cover';
        const repeat = paint.scaleMode === 'TILE' ? 'repeat' : 'no-repeat';
        const place = paint.scaleMode === 'CROP' && paint.imageTransform ? cropPlacement(paint.imageTransform, box) : `center / ${size}`;
        layers.push(url ? `url("${url}") ${place} ${repeat}` : 'repeating-linear-gradient(45deg, #ddd 0 8px, #eee 8px 16px)');
      }
    }
    return layers.join(', ');
  }

  /**
   * A CROP fill as CSS: Figma's imageTransform maps the layer's unit square into the image's, so
   * the image is drawn 1/scale times the layer's size, shifted by the offset (axis-aligned crops).
   */
  function cropPlacement(t: readonly (readonly number[])[], box: { width: number; height: number }): string {
    const [[a, , tx], [, d, ty]] = t as [[number, number, number], [number, number, number]];
    if (!(a > 0 && d > 0)) return 'center / cover';
    return `${(-tx / a) * box.width}px ${(-ty / d) * box.height}px / ${box.width / a}px ${box.height / d}px`;
  }

  function drawNode(node: FakeNode, container: HTMLElement, parentAbs: Affine): void {
    if (node.removed) return;
    const abs = node.absoluteTransform as unknown as Affine;
    if (DERIVED.has(node.type)) {
      // Groups have no box of their own in Figma's model: their children share the container.
      for (const child of node.children) drawNode(child, container, parentAbs);
      return;
    }
    const el = document.createElement('div');
    el.className = `node node-${node.type.toLowerCase()}`;
    el.dataset.nodeId = node.id;
    el.dataset.name = node.name;
    el.style.transform = cssMatrix(multiply(invert(parentAbs), abs));
    el.style.width = `${node.width}px`;
    el.style.height = `${node.height}px`;
    if (!node.visible) el.style.display = 'none';
    if ('opacity' in node) el.style.opacity = String(node.opacity);
    const paints = paintsOf(node);
    if (node.type === 'TEXT') {
      el.textContent = node.characters;
      const color = paints.find((p) => p.type === 'SOLID' && p.visible !== false);
      el.style.color = color && color.type === 'SOLID' ? rgba(color.color, color.opacity ?? 1) : '#000';
      el.style.fontSize = `${Math.max(1, node.height * 0.72)}px`;
      el.style.lineHeight = `${node.height}px`;
    } else {
      el.style.background = background(paints, node);
    }
    // (issue 15) a visible solid stroke (e.g. the Framefill area's outline), drawn inside the box
    const stroke = 'strokes' in node ? node.strokes.find((p) => p.type === 'SOLID' && p.visible !== false) : undefined;
    if (stroke && stroke.type === 'SOLID') {
      el.style.outline = `${node.strokeWeight}px ${node.dashPattern.length > 0 ? 'dashed' : 'solid'} ${rgba(stroke.color, stroke.opacity ?? 1)}`;
      el.style.outlineOffset = `-${node.strokeWeight}px`;
    }
    if (node.type === 'ELLIPSE') el.style.borderRadius = '50%';
    if (FRAME_LIKE.has(node.type)) {
      if (node.type !== 'SECTION' && node.clipsContent) el.style.overflow = 'hidden';
      for (const child of node.children) drawNode(child, el, abs);
    }
    container.appendChild(el);
  }

  function screenBox(node: FakeNode): { x: number; y: number; width: number; height: number } | null {
    const box = node.absoluteBoundingBox;
    if (!box) return null;
    const { center, zoom } = viewport();
    return {
      x: (box.x - center.x) * zoom + root.clientWidth / 2,
      y: (box.y - center.y) * zoom + root.clientHeight / 2,
      width: box.width * zoom,
      height: box.height * zoom,
    };
  }

  function signature(): string {
    const parts: string[] = [];
    const walk = (node: FakeNode) => {
      parts.push(
        [node.id, node.type, node.name, node.visible, 'opacity' in node ? node.opacity : 1, node.x, node.y, node.width, node.height, node.rotation, 'fills' in node ? JSON.stringify([node.fills, node.strokes]) : '', node.type === 'TEXT' ? node.characters : ''].join('|'),
      );
      for (const child of 'children' in node ? node.children : []) walk(child);
    };
    walk(fake.currentPage);
    const { center, zoom } = viewport();
    parts.push(fake.currentPage.selection.map((n) => n.id).join(','), `${center.x},${center.y},${zoom}`, `${root.clientWidth}x${root.clientHeight}`);
    return parts.join('\n');
  }

  function render(): void {
    const { center, zoom } = viewport();
    const world = document.createElement('div');
    world.className = 'world';
    world.style.transform = `translate(${root.clientWidth / 2 - center.x * zoom}px, ${root.clientHeight / 2 - center.y * zoom}px) scale(${zoom})`;
    for (const child of fake.currentPage.children) drawNode(child, world, IDENTITY);

    const overlay = document.createElement('div');
    overlay.className = 'overlay';
    const selected = new Set(fake.currentPage.selection.map((n) => n.id));
    for (const node of fake.currentPage.children) {
      if (!FRAME_LIKE.has(node.type) || !node.visible) continue;
      const box = screenBox(node);
      if (!box) continue;
      const label = document.createElement('div');
      label.className = `frame-label${selected.has(node.id) ? ' is-selected' : ''}`;
      label.dataset.selectId = node.id;
      label.textContent = node.name;
      label.style.left = `${box.x}px`;
      label.style.top = `${box.y - 18}px`;
      label.style.maxWidth = `${Math.max(40, box.width)}px`;
      overlay.appendChild(label);
    }
    const selection = fake.currentPage.selection;
    for (const node of selection) {
      const box = screenBox(node);
      if (!box) continue;
      const outline = document.createElement('div');
      outline.className = 'selection-outline';
      outline.dataset.outlineFor = node.id;
      Object.assign(outline.style, { left: `${box.x}px`, top: `${box.y}px`, width: `${box.width}px`, height: `${box.height}px` });
      if (selection.length === 1) {
        const badge = document.createElement('span');
        badge.className = 'size-badge';
        badge.textContent = `${Math.round(node.width)} × ${Math.round(node.height)}`;
        outline.appendChild(badge);
      }
      overlay.appendChild(outline);
    }
    root.replaceChildren(world, overlay);
  }

  function refresh(force = false): void {
    const sig = signature();
    if (!force && sig === last) return;
    last = sig;
    render();
  }

  function select(node: FakeNode | null, additive: boolean): void {
    const current = fake.currentPage.selection;
    let next: FakeNode[];
    if (!node) next = additive ? [...current] : [];
    else if (additive) next = current.includes(node) ? current.filter((n) => n !== node) : [...current, node];
    else next = [node];
    fake.currentPage.selection = next;
    refresh();
  }

  root.addEventListener('click', (event) => {
    const target = event.target as HTMLElement;
    const labelled = target.closest<HTMLElement>('[data-select-id]');
    const hit = target.closest<HTMLElement>('[data-node-id]');
    const id = labelled?.dataset.selectId ?? hit?.dataset.nodeId;
    const node = id ? fake.node(id) : undefined;
    select(node ? (labelled ? node : selectableFor(node)) : null, event.shiftKey);
  });

  return {
    refresh,
    zoomToFit() {
      const boxes = fake.currentPage.children.map((n) => n.absoluteBoundingBox).filter((b): b is NonNullable<typeof b> => !!b);
      if (!boxes.length) return;
      const x0 = Math.min(...boxes.map((b) => b.x));
      const y0 = Math.min(...boxes.map((b) => b.y));
      const x1 = Math.max(...boxes.map((b) => b.x + b.width));
      const y1 = Math.max(...boxes.map((b) => b.y + b.height));
      const vp = viewport();
      vp.center = { x: (x0 + x1) / 2, y: (y0 + y1) / 2 };
      vp.zoom = Math.min((root.clientWidth - 2 * FIT_MARGIN) / Math.max(1, x1 - x0), (root.clientHeight - 2 * FIT_MARGIN) / Math.max(1, y1 - y0), 1);
      refresh(true);
    },
  };
}
