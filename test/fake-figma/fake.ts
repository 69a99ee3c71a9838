// A fake `figma` for the sandbox, usable in Node tests and (with a canvas codec) in a browser.
// It models what Framefill uses: pages and nodes (./nodes.ts), selection with selectionchange,
// the dynamic-page async API, exportAsync with real bytes, createImage with Figma's checks,
// clientStorage with its quota, undo steps and redo (with the page's `nodechange` and, once all
// pages are loaded, `documentchange` for every edit, undo and redo), plugin/relaunch data, the UI channel, quick-action parameters, the viewport
// and notifications. Tests drive it through the helpers on FakeFigma.
import type { PluginAPI, RunEvent } from '../../plugin/figma-types';
import type { ImageCodec } from './codec';
import { Journal, type NodeChangeRecord } from './journal';
import { FakeClientStorage } from './client-storage';
import { FakeNode, type ExportRecord, type FakeImageRecord, type FakeNodeType, type NodeProps, type World } from './nodes';

export const FIGMA_MAX_IMAGE_SIDE = 4096;

export interface FakeImage {
  readonly hash: string;
  getBytesAsync(): Promise<Uint8Array>;
  getSizeAsync(): Promise<{ width: number; height: number }>;
}

/** Figma's NodeChange as the fake reports it (a removed node has `removed: true`). */
export interface FakeNodeChange {
  id: string;
  type: 'CREATE' | 'DELETE' | 'PROPERTY_CHANGE';
  origin: 'LOCAL';
  node: FakeNode;
  properties?: string[];
}
interface NodeChangeEvent {
  nodeChanges: FakeNodeChange[];
}

export class FakePage extends FakeNode {
  private _selection: FakeNode[] = [];

  constructor(
    world: World,
    private readonly onSelection: (page: FakePage) => void,
    props: NodeProps,
  ) {
    super(world, 'PAGE', props);
  }

  get selection(): readonly FakeNode[] {
    return Object.freeze(this._selection.filter((n) => !n.removed));
  }

  set selection(nodes: readonly FakeNode[]) {
    if (!Array.isArray(nodes)) throw new Error('selection must be an array of nodes');
    for (const node of nodes) {
      if (!(node instanceof FakeNode) || node.removed || pageOfNode(node) !== this) {
        throw new Error(`Cannot select ${String(node)}: it is not on page "${this.name}"`);
      }
    }
    this._selection = [...new Set(nodes)];
    this.onSelection(this);
  }

  /** Removed nodes leave the selection (Figma fires selectionchange then). */
  dropFromSelection(node: FakeNode): void {
    const before = this._selection.length;
    this._selection = this._selection.filter((n) => n !== node);
    if (this._selection.length !== before) this.onSelection(this);
  }

  async loadAsync(): Promise<void> {}

  // PageNode.on('nodechange'): the page-level change event plugins with dynamic-page access use.
  private readonly nodeChangeListeners = new Set<(event: NodeChangeEvent) => void>();
  on(type: string, listener: (event: NodeChangeEvent) => void): void {
    if (type !== 'nodechange') throw new Error(`The fake's pages only emit "nodechange" (asked for "${type}")`);
    this.nodeChangeListeners.add(listener);
  }
  once(type: string, listener: (event: NodeChangeEvent) => void): void {
    const once = (event: NodeChangeEvent) => {
      this.nodeChangeListeners.delete(once);
      listener(event);
    };
    this.on(type, once);
  }
  off(type: string, listener: (event: NodeChangeEvent) => void): void {
    if (type === 'nodechange') this.nodeChangeListeners.delete(listener);
  }
  /** the fake delivers a batch of changes (Figma batches them too) */
  emitNodeChanges(nodeChanges: FakeNodeChange[]): void {
    for (const listener of [...this.nodeChangeListeners]) listener({ nodeChanges });
  }
  /** the plugin stopped: nothing it registered hears anything any more */
  dropListeners(): void {
    this.nodeChangeListeners.clear();
  }
}

export function pageOfNode(node: FakeNode): FakePage | null {
  let n: FakeNode | null = node;
  while (n && n.type !== 'PAGE') n = n.parent;
  return n as FakePage | null;
}

export interface Notification {
  message: string;
  options?: { error?: boolean; timeout?: number };
}

export interface SuggestionCall {
  suggestions: unknown[];
  error: string | null;
  loading: string | null;
}

type Listener = (...args: never[]) => unknown;

/**
 * Where the panel is shown, for a host that renders it (the playground): told when the plugin
 * opens its UI, posts to it, resizes or closes it. Tests without a host read `posted` instead.
 */
export interface UiHost {
  show(html: string, options: unknown): void;
  /** a sandbox → panel message (the host's postMessage makes the structured clone) */
  post(message: unknown): void;
  resize?(width: number, height: number): void;
  close?(): void;
}

export interface FakeFigmaOptions {
  codec: ImageCodec;
  uiHost?: UiHost;
  /** figma.command before any run() */
  command?: string;
  /** names of the pages to create (at least two by default) */
  pages?: string[];
  clientStorageQuota?: number;
  viewport?: { center?: { x: number; y: number }; zoom?: number; width?: number; height?: number };
}

export type ShapeType = 'RECTANGLE' | 'ELLIPSE' | 'POLYGON' | 'STAR' | 'VECTOR' | 'LINE';
export interface BuildProps extends NodeProps {
  /** the page to put it on (default: the current page) when it is not someone's child */
  page?: FakePage;
}

export interface FakeFigma {
  /** pass this to the sandbox (start(fake.figma)) or install it as globalThis.figma */
  readonly figma: PluginAPI;
  readonly document: FakeNode;
  readonly pages: readonly FakePage[];
  readonly currentPage: FakePage;
  readonly journal: Journal;
  readonly clientStorage: FakeClientStorage;
  readonly codec: ImageCodec;

  // builders (append to the current page, or to the parent they are given to as children)
  frame(props?: BuildProps): FakeNode;
  component(props?: BuildProps): FakeNode;
  componentSet(props?: BuildProps): FakeNode;
  instance(props?: BuildProps): FakeNode;
  group(props: BuildProps & { children: FakeNode[] }): FakeNode;
  booleanOperation(props: BuildProps & { children: FakeNode[] }): FakeNode;
  section(props?: BuildProps): FakeNode;
  rectangle(props?: BuildProps): FakeNode;
  ellipse(props?: BuildProps): FakeNode;
  shape(type: ShapeType, props?: BuildProps): FakeNode;
  text(props?: BuildProps): FakeNode;
  slice(props?: BuildProps): FakeNode;
  /** an IMAGE paint over a real image (registered like figma.createImage) */
  imagePaint(width?: number, height?: number, seed?: number): { type: 'IMAGE'; imageHash: string; scaleMode: 'FILL' };

  // scene helpers
  select(...nodes: FakeNode[]): void;
  /** switch page as the user would (fires currentpagechange and selectionchange) */
  showPage(page: FakePage): void;
  /** node by id, including removed ones (for assertions) */
  node(id: string): FakeNode | undefined;
  /** nodes created through figma.createX that are still in the document */
  created(): FakeNode[];

  // the plugin's session
  run(event?: { command?: string; parameters?: Record<string, unknown> }): void;
  suggest(key: string, query: string, parameters?: Record<string, unknown>): Promise<SuggestionCall>;
  /**
   * The plugin ends (the user closed its window, or figma.closePlugin): 'close' fires, the panel
   * goes, and every handler the plugin registered is dropped, as its code stops running.
   */
  close(): void;
  /**
   * The user runs the plugin again from the menu: a new session on the same document, images,
   * undo history and clientStorage. The plugin's code must be evaluated (start()) again, then run().
   */
  reopen(): void;
  /** false between close() and reopen() */
  readonly open: boolean;
  readonly shown: { html: string; options: unknown } | null;

  // the panel side of the UI channel
  /** messages the sandbox posted (structured clones, in order) */
  readonly posted: unknown[];
  /** deliver a panel message to the sandbox (asynchronously, structured-cloned) */
  deliver(message: unknown): Promise<void>;
  // Tests read replies loosely (each asserts the fields it cares about); the sandbox's own
  // messages are typed and validated where they are produced.
  /** deliver and wait for the reply: same rid, or the first later message of `replyType` */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  request<T = any>(message: unknown, replyType?: string, timeoutMs?: number): Promise<T>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  waitFor<T = any>(predicate: (message: any) => boolean, timeoutMs?: number, fromIndex?: number): Promise<T>;
  /** let pending async work finish */
  settle(ticks?: number): Promise<void>;

  // records
  readonly notifications: Notification[];
  readonly exports: ExportRecord[];
  readonly images: ReadonlyMap<string, FakeImageRecord>;
  readonly scrolledTo: FakeNode[][];
  readonly selectionChanges: number;

  // undo
  /** figma.triggerUndo(): reverts open changes, else the last committed step */
  undo(): string[];
  /** the user's Redo (⇧⌘Z): does the last undone step again (fires nodechange like undo) */
  redo(): string[];
  readonly undoSteps: number;
  readonly commitUndoCalls: number;
}

/**
 * Deterministic content hash, 40 hex digits like Figma's SHA-1. Figma hashes natively; this
 * stand-in must not dominate what the bench measures, so it reads the bytes once, four at a time
 * (a Uint32Array view), in two independent 32-bit lanes (murmur3's block mix and an FNV-style
 * multiply-xorshift), then the tail bytes and the length, and spreads the two lanes over five words.
 */
function hashBytes(bytes: Uint8Array): string {
  let a = 0x9747b28c;
  let b = 2166136261;
  const mix = (word: number) => {
    let k = Math.imul(word, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    a ^= k;
    a = (Math.imul((a << 13) | (a >>> 19), 5) + 0xe6546b64) | 0;
    b = Math.imul(b ^ word, 16777619);
    b ^= b >>> 15;
  };
  // Words are read from the first byte, wherever the bytes sit: a view needs 4-byte alignment,
  // so an unaligned input (rare: a subarray) is hashed from an aligned copy.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const words = aligned.length >>> 2;
  const view = new Uint32Array(aligned.buffer, aligned.byteOffset, words);
  for (let i = 0; i < words; i++) mix(view[i]!);
  for (let i = words * 4; i < aligned.length; i++) mix(aligned[i]! | 0x100);
  mix(bytes.length);
  let out = '';
  for (let round = 0; round < 5; round++) {
    let h = Math.imul(a ^ Math.imul(b + round, 0x85ebca6b), 0xc2b2ae35) ^ Math.imul(b ^ (round * 0x9e3779b9), 0x27d4eb2f);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    out += (h >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}

function isImageMagic(bytes: Uint8Array): boolean {
  const png = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const gif = bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x38;
  return png || jpeg || gif;
}

export function createFakeFigma(options: FakeFigmaOptions): FakeFigma {
  const codec = options.codec;
  const journal = new Journal();
  const registry = new Map<string, FakeNode>();
  const images = new Map<string, FakeImageRecord>();
  const exports: ExportRecord[] = [];
  const createdIds: string[] = [];
  const mixed = Symbol('figma.mixed');
  let counter = 1;
  const events = new Map<string, Set<Listener>>();
  const uiListeners = new Set<Listener>();
  const inputListeners = new Set<Listener>();
  const posted: unknown[] = [];
  const postWaiters = new Set<() => void>();
  const notifications: Notification[] = [];
  const scrolledTo: FakeNode[][] = [];
  let selectionChanges = 0;
  let shown: { html: string; options: unknown } | null = null;
  let command = options.command ?? '';
  let closed = false;

  const emit = (type: string, ...args: unknown[]) => {
    for (const listener of [...(events.get(type) ?? [])]) (listener as (...a: unknown[]) => unknown)(...args);
  };
  // Figma delivers selectionchange asynchronously, after the change that caused it.
  const fireSelection = (page: FakePage) => {
    if (page !== currentPage || closed) return;
    selectionChanges++;
    setTimeout(() => emit('selectionchange'), 0);
  };

  const world: World = {
    journal,
    codec,
    mixed,
    images,
    exports,
    nextId: () => `1:${counter++}`, // Figma-style "page:node" ids
    register: (node) => registry.set(node.id, node),
    detached: (node) => {
      for (const page of pages) page.dropFromSelection(node);
    },
  };

  const document = journal.silently(() => new FakeNode(world, 'DOCUMENT', { name: 'Document' }, '0:0'));
  const pages: FakePage[] = journal.silently(() =>
    (options.pages ?? ['Page 1', 'Page 2']).map((name) => {
      const page = new FakePage(world, fireSelection, { name });
      page.attach(document);
      return page;
    }),
  );
  if (pages.length < 1) throw new Error('the fake needs at least one page');
  let currentPage = pages[0]!;

  // Node changes (edits, undo, redo) reach the page's 'nodechange' listeners in one batch per
  // task, after the change, as Figma delivers them.
  let pendingChanges: NodeChangeRecord[] = [];
  journal.onChange((changes) => {
    if (!pendingChanges.length) setTimeout(flushChanges, 0);
    pendingChanges.push(...changes);
  });
  const flushChanges = () => {
    const changes = pendingChanges;
    pendingChanges = [];
    if (closed) return;
    const byPage = new Map<FakePage, FakeNodeChange[]>();
    for (const change of changes) {
      const node = registry.get(change.id);
      if (!node) continue;
      // a removed node has no page any more; it was on the page the user is looking at
      const page = (node.removed ? null : pageOfNode(node)) ?? currentPage;
      const list = byPage.get(page) ?? [];
      list.push({ id: change.id, type: change.type, origin: 'LOCAL', node, ...(change.property ? { properties: [change.property] } : {}) });
      byPage.set(page, list);
    }
    for (const [page, list] of byPage) page.emitNodeChanges(list);
    const all = [...byPage.values()].flat();
    if (all.length) emit('documentchange', { documentChanges: all });
  };
  let allPagesLoaded = false;

  const viewportSize = { width: options.viewport?.width ?? 1440, height: options.viewport?.height ?? 900 };
  const viewport = {
    center: { ...(options.viewport?.center ?? { x: 0, y: 0 }) },
    zoom: options.viewport?.zoom ?? 1,
    get bounds() {
      const w = viewportSize.width / this.zoom;
      const h = viewportSize.height / this.zoom;
      return { x: this.center.x - w / 2, y: this.center.y - h / 2, width: w, height: h };
    },
    scrollAndZoomIntoView(nodes: readonly FakeNode[]) {
      const boxes = nodes.map((n) => n.absoluteBoundingBox).filter((b): b is NonNullable<typeof b> => !!b);
      scrolledTo.push([...nodes]);
      if (!boxes.length) return;
      const x0 = Math.min(...boxes.map((b) => b.x));
      const y0 = Math.min(...boxes.map((b) => b.y));
      const x1 = Math.max(...boxes.map((b) => b.x + b.width));
      const y1 = Math.max(...boxes.map((b) => b.y + b.height));
      this.center = { x: (x0 + x1) / 2, y: (y0 + y1) / 2 };
      this.zoom = Math.min(viewportSize.width / Math.max(1, x1 - x0), viewportSize.height / Math.max(1, y1 - y0), 1);
    },
  };

  const clientStorage = new FakeClientStorage(options.clientStorageQuota);

  function makeImage(record: FakeImageRecord): FakeImage {
    return {
      hash: record.hash,
      getBytesAsync: async () => new Uint8Array(record.bytes),
      getSizeAsync: async () => ({ width: record.width, height: record.height }),
    };
  }

  function createImage(bytes: Uint8Array): FakeImage {
    if (!(bytes instanceof Uint8Array)) throw new Error('createImage expects a Uint8Array');
    if (!isImageMagic(bytes)) throw new Error('Image type is unsupported');
    const size = codec.readImageSize(bytes);
    if (!size) throw new Error('Image type is unsupported');
    if (size.width > FIGMA_MAX_IMAGE_SIDE || size.height > FIGMA_MAX_IMAGE_SIDE) throw new Error('Image is too large');
    const hash = hashBytes(bytes);
    if (!images.has(hash)) images.set(hash, { hash, bytes: new Uint8Array(bytes), width: size.width, height: size.height });
    return makeImage(images.get(hash)!);
  }

  function created(type: FakeNodeType, props: NodeProps): FakeNode {
    const node = journal.silently(() => new FakeNode(world, type, props));
    journal.silently(() => node.attach(currentPage));
    node.journalCreation();
    createdIds.push(node.id);
    return node;
  }

  const requireUi = (what: string) => {
    if (!shown) throw new Error(`${what}: call figma.showUI first`);
  };

  const ui = {
    postMessage(message: unknown) {
      requireUi('figma.ui.postMessage');
      posted.push(structuredClone(message)); // what crosses postMessage is a structured clone
      for (const wake of [...postWaiters]) wake();
      options.uiHost?.post(message);
    },
    on(type: string, listener: Listener) {
      if (type === 'message') uiListeners.add(listener);
    },
    once(type: string, listener: Listener) {
      if (type !== 'message') return;
      const once = (...args: never[]) => {
        uiListeners.delete(once);
        return listener(...args);
      };
      uiListeners.add(once);
    },
    off(type: string, listener: Listener) {
      if (type === 'message') uiListeners.delete(listener);
    },
    show() {},
    hide() {},
    resize(width: number, height: number) {
      options.uiHost?.resize?.(width, height);
    },
    reposition() {},
    close() {
      shown = null;
      options.uiHost?.close?.();
    },
  };

  const api = {
    apiVersion: '1.0.0',
    editorType: 'figma',
    get command() {
      return command;
    },
    mixed,
    get root() {
      return document;
    },
    get currentPage() {
      return currentPage;
    },
    set currentPage(_page: FakePage) {
      throw new Error('Setting figma.currentPage is not supported with documentAccess: dynamic-page; use figma.setCurrentPageAsync');
    },
    async setCurrentPageAsync(page: FakePage) {
      fake.showPage(page);
    },
    async loadAllPagesAsync() {
      allPagesLoaded = true;
    },
    async getNodeByIdAsync(id: string) {
      const node = registry.get(id);
      return node && !node.removed ? node : null;
    },
    getNodeById() {
      throw new Error('getNodeById is not allowed with documentAccess: dynamic-page; use getNodeByIdAsync');
    },
    createImage,
    getImageByHash(hash: string) {
      const record = images.get(hash);
      return record ? makeImage(record) : null;
    },
    createRectangle: () => created('RECTANGLE', {}),
    createFrame: () => created('FRAME', {}),
    createEllipse: () => created('ELLIPSE', {}),
    commitUndo: () => journal.commit(),
    triggerUndo: () => void journal.undo(),
    notify(message: string, opts?: Notification['options']) {
      notifications.push({ message, ...(opts ? { options: opts } : {}) });
      return { cancel() {} };
    },
    showUI(html: string, opts?: unknown) {
      shown = { html, options: opts };
      options.uiHost?.show(html, opts);
    },
    ui,
    viewport,
    clientStorage,
    parameters: {
      on: (_type: 'input', listener: Listener) => inputListeners.add(listener),
      once: (_type: 'input', listener: Listener) => inputListeners.add(listener),
      off: (_type: 'input', listener: Listener) => inputListeners.delete(listener),
    },
    on(type: string, listener: Listener) {
      // As in Figma with documentAccess: dynamic-page (the page's 'nodechange' needs no such call).
      if (type === 'documentchange' && !allPagesLoaded) throw new Error('Cannot register documentchange handler in incremental mode. Call figma.loadAllPagesAsync() first.');
      let set = events.get(type);
      if (!set) events.set(type, (set = new Set()));
      set.add(listener);
    },
    once(type: string, listener: Listener) {
      const once = (...args: never[]) => {
        events.get(type)?.delete(once);
        return listener(...args);
      };
      api.on(type, once);
    },
    off(type: string, listener: Listener) {
      events.get(type)?.delete(listener);
    },
    closePlugin(message?: string) {
      if (message) notifications.push({ message });
      fake.close();
    },
  };

  function build(type: FakeNodeType, props: BuildProps = {}): FakeNode {
    return journal.silently(() => {
      const { page, children, ...rest } = props;
      const node = new FakeNode(world, type, rest);
      for (const child of children ?? []) child.attach(node);
      node.attach(page ?? currentPage);
      return node;
    });
  }

  const fake: FakeFigma = {
    figma: api as unknown as PluginAPI,
    document,
    pages,
    get currentPage() {
      return currentPage;
    },
    journal,
    clientStorage,
    codec,

    frame: (props) => build('FRAME', props),
    component: (props) => build('COMPONENT', props),
    componentSet: (props) => build('COMPONENT_SET', props),
    instance: (props) => build('INSTANCE', props),
    group: (props) => build('GROUP', props),
    booleanOperation: (props) => build('BOOLEAN_OPERATION', props),
    section: (props) => build('SECTION', props),
    rectangle: (props) => build('RECTANGLE', props),
    ellipse: (props) => build('ELLIPSE', props),
    shape: (type, props) => build(type, props),
    text: (props) => build('TEXT', props),
    slice: (props) => build('SLICE', props),
    imagePaint(width = 64, height = 64, seed = 3) {
      const image = createImage(codec.encodeImage('jpeg', width, height, seed));
      return { type: 'IMAGE', imageHash: image.hash, scaleMode: 'FILL' };
    },

    select(...nodes) {
      currentPage.selection = nodes;
    },
    showPage(page) {
      if (!pages.includes(page)) throw new Error('not a page of this document');
      if (page === currentPage) return;
      currentPage = page;
      setTimeout(() => {
        emit('currentpagechange');
        emit('selectionchange');
      }, 0);
    },
    node: (id) => registry.get(id),
    created: () => createdIds.map((id) => registry.get(id)!).filter((n) => !n.removed),

    run(event = {}) {
      command = event.command ?? '';
      const run: RunEvent = { command, parameters: event.parameters } as RunEvent;
      emit('run', run);
    },
    async suggest(key, query, parameters = {}) {
      const call: SuggestionCall = { suggestions: [], error: null, loading: null };
      const result = {
        setSuggestions: (s: unknown[]) => void (call.suggestions = [...s]),
        setError: (m: string) => void (call.error = m),
        setLoadingMessage: (m: string) => void (call.loading = m),
      };
      for (const listener of [...inputListeners]) await (listener as (e: unknown) => unknown)({ key, query, parameters, result });
      return call;
    },
    close() {
      if (closed) return;
      emit('close');
      closed = true;
      if (shown) options.uiHost?.close?.();
      shown = null;
      // The plugin's code stops: nothing it registered hears anything any more.
      events.clear();
      uiListeners.clear();
      inputListeners.clear();
      for (const page of pages) page.dropListeners();
    },
    reopen() {
      if (!closed) throw new Error('reopen(): the plugin is still open — close() it first');
      closed = false;
      command = '';
    },
    get open() {
      return !closed;
    },
    get shown() {
      return shown;
    },

    posted,
    async deliver(message) {
      const copy = structuredClone(message);
      // The panel's messages arrive on a later task, like a real postMessage.
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          for (const listener of [...uiListeners]) (listener as (m: unknown, p: unknown) => unknown)(copy, { origin: 'null' });
          resolve();
        }, 0),
      );
    },
    async request(message, replyType, timeoutMs = 10_000) {
      const from = posted.length;
      const rid = message && typeof message === 'object' && 'rid' in message ? (message as { rid: unknown }).rid : undefined;
      if (rid === undefined && !replyType) throw new Error('request() needs a message with a rid or a replyType');
      const reply = fake.waitFor((m) => (rid !== undefined ? m?.rid === rid : m?.type === replyType), timeoutMs, from);
      await fake.deliver(message);
      return reply;
    },
    waitFor(predicate, timeoutMs = 10_000, fromIndex = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = posted.slice(fromIndex).find(predicate);
          if (found === undefined) return false;
          postWaiters.delete(check);
          clearTimeout(timer);
          resolve(found as never);
          return true;
        };
        const timer = setTimeout(() => {
          postWaiters.delete(check);
          reject(new Error(`no matching message from the sandbox within ${timeoutMs} ms; posted: ${JSON.stringify(posted.map((m) => (m as { type?: string })?.type))}`));
        }, timeoutMs);
        if (!check()) postWaiters.add(check);
      });
    },
    async settle(ticks = 20) {
      for (let i = 0; i < ticks; i++) await new Promise((r) => setTimeout(r, 0));
    },

    notifications,
    exports,
    images,
    scrolledTo,
    get selectionChanges() {
      return selectionChanges;
    },

    undo: () => journal.undo(),
    redo: () => journal.redo(),
    get undoSteps() {
      return journal.steps.length;
    },
    get commitUndoCalls() {
      return journal.commitCalls;
    },
  };
  return fake;
}
