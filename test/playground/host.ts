// The playground host: the built dist/code.js runs against the fake figma the way Figma runs a
// plugin (global `figma` and `__html__`, then the run event), its panel (dist/ui.html) opens in
// a Figma-like sandboxed iframe, and the fake's page is drawn as a canvas to select frames on.
// The plugin can be closed (× on its window: figma.closePlugin, the panel and its requests go)
// and run again (Run Framefill: the built code is evaluated anew on the same document and
// clientStorage, as when the user runs it from Figma's menu again).
//   ?backend=http://127.0.0.1:PORT&token=…  seeds the panel's saved settings before the start
//   ?theme=dark                             starts in the dark theme
import './styles.css';
import { createCanvasCodec, createFakeFigma, type FakeFigma, type FakeNode } from '../fake-figma/index';
import { STORAGE_KEYS } from '../../plugin/storage';
import { defaultSettings } from '../../plugin/settings-defaults';
import { snapshotOf, type PlaygroundApi } from './api';
import { createPanelBridge } from './bridge';
import { createCanvasView } from './canvas-view';
import { buildDemoScene } from './scene';
import type { ThemeName } from './theme';

/** How often the canvas and toolbar look for changes the plugin made (cheap when none). */
const POLL_MS = 100;
const TOAST_MS = 4000;

const $ = <T extends HTMLElement>(id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`playground page is missing #${id}`);
  return el as T;
};

async function fetchText(path: string): Promise<string> {
  const response = await fetch(path, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} — run \`npm run build\` first`);
  return response.text();
}

async function demoMode(): Promise<boolean> {
  try {
    const response = await fetch('/playground/mode', { cache: 'no-store' });
    const body = (await response.json()) as { demo?: unknown };
    return body.demo === true;
  } catch {
    return false;
  }
}

/** Saved panel settings, as the sandbox stores them, pointing at the given backend and token. */
async function seedSettings(fake: FakeFigma, backendUrl: string | null, accessToken: string | null): Promise<void> {
  if (backendUrl === null && accessToken === null) return;
  await fake.clientStorage.setAsync(STORAGE_KEYS.settings, {
    ...defaultSettings(),
    ...(backendUrl !== null ? { backendUrl } : {}),
    ...(accessToken !== null ? { accessToken } : {}),
  });
}

async function boot(): Promise<void> {
  const params = new URLSearchParams(location.search);
  let theme: ThemeName = params.get('theme') === 'dark' ? 'dark' : 'light';
  const canvasEl = $('canvas');
  const undoButton = $<HTMLButtonElement>('undo');
  const redoButton = $<HTMLButtonElement>('redo');
  const undoCount = $('undo-count');
  const zoomLabel = $('zoom');
  const pluginWindow = $('plugin-window');
  const toasts = $('toasts');
  const themeButtons = [...document.querySelectorAll<HTMLButtonElement>('[data-theme]')];
  const runPluginButton = $<HTMLButtonElement>('run-plugin');
  const closePluginButton = $<HTMLButtonElement>('close-plugin');
  const closedNote = $('plugin-closed');

  let panelOpen = false;
  const bridge = createPanelBridge({
    mount: $('plugin-body'),
    theme,
    deliver: (message) => void fake.deliver(message),
    onWindow: ({ open, title }) => {
      panelOpen = open;
      pluginWindow.hidden = !open;
      $('plugin-title').textContent = title;
    },
  });
  const fake = createFakeFigma({
    codec: createCanvasCodec(),
    uiHost: bridge,
    viewport: { width: canvasEl.clientWidth, height: canvasEl.clientHeight },
  });
  const scene = buildDemoScene(fake);
  const view = createCanvasView(canvasEl, fake);
  view.zoomToFit();

  const applyTheme = (next: ThemeName) => {
    theme = next;
    document.documentElement.classList.toggle('dark', next === 'dark');
    for (const b of themeButtons) b.setAttribute('aria-pressed', String(b.dataset.theme === next));
    bridge.setTheme(next);
  };
  applyTheme(theme);
  for (const b of themeButtons) b.addEventListener('click', () => applyTheme(b.dataset.theme === 'dark' ? 'dark' : 'light'));

  let shownToasts = 0;
  let launching = false;
  const tick = () => {
    view.refresh();
    runPluginButton.disabled = fake.open || launching;
    closedNote.hidden = fake.open || launching;
    const steps = fake.undoSteps;
    undoButton.disabled = steps === 0;
    redoButton.disabled = fake.journal.undone.length === 0;
    undoCount.textContent = `${steps} undo step${steps === 1 ? '' : 's'}`;
    zoomLabel.textContent = `${Math.round(fake.figma.viewport.zoom * 100)}%`;
    for (; shownToasts < fake.notifications.length; shownToasts++) {
      const n = fake.notifications[shownToasts]!;
      const toast = document.createElement('div');
      toast.className = `toast${n.options?.error ? ' is-error' : ''}`;
      toast.setAttribute('role', 'status');
      toast.textContent = n.message;
      toasts.appendChild(toast);
      setTimeout(() => toast.remove(), n.options?.timeout && n.options.timeout > 0 && Number.isFinite(n.options.timeout) ? n.options.timeout : TOAST_MS);
    }
  };
  const undo = () => {
    const reverted = fake.undo();
    tick();
    return reverted;
  };
  const redo = () => {
    const redone = fake.redo();
    tick();
    return redone;
  };
  undoButton.addEventListener('click', undo);
  redoButton.addEventListener('click', redo);
  $('fit').addEventListener('click', () => view.zoomToFit());
  document.addEventListener('keydown', (event) => {
    if ((event.metaKey || event.ctrlKey) && event.key.toLowerCase() === 'z') {
      event.preventDefault();
      if (event.shiftKey) redo();
      else undo();
    }
  });
  /** A user's edit on the canvas: its own undo step, reported to the plugin like any other. */
  const edit = (id: string, change: (node: FakeNode) => void) => {
    const node = fake.node(id);
    if (!node || node.removed) throw new Error(`no node ${id}`);
    change(node);
    fake.figma.commitUndo();
    tick();
  };
  window.addEventListener('resize', () => view.refresh(true));
  setInterval(tick, POLL_MS);
  tick();

  /**
   * Plugins → Framefill: evaluate the built plugin with `figma` and `__html__` in scope, then the
   * run event — with a command and parameters for a relaunch button or a quick action. As in
   * Figma, starting a command while the plugin runs closes the running one first.
   */
  const runPlugin = async (event: { command?: string; parameters?: Record<string, unknown> } = {}) => {
    if (launching) return;
    launching = true;
    tick();
    try {
      if (event.command && fake.open && api.sessions > 0) fake.figma.closePlugin();
      if (!fake.open) fake.reopen();
      const [code, html] = await Promise.all([fetchText('/playground/code.js'), fetchText('/playground/ui.html')]);
      new Function('figma', '__html__', code)(fake.figma, html);
      fake.run(event);
      api.sessions++;
    } finally {
      launching = false;
      tick();
    }
  };
  /** The × on the plugin window: the plugin ends, its panel (and the panel's requests) with it. */
  const closePlugin = () => {
    if (!fake.open) return;
    fake.figma.closePlugin();
    tick();
  };
  closePluginButton.addEventListener('click', closePlugin);
  runPluginButton.addEventListener('click', () => {
    void runPlugin({}).catch((error: unknown) => showStartupError(error));
  });
  const showStartupError = (error: unknown) => {
    api.error = error instanceof Error ? error.message : String(error);
    const box = $('startup-error');
    box.textContent = `The playground could not start the plugin: ${api.error}`;
    box.hidden = false;
  };

  const api: PlaygroundApi = {
    ready: false,
    error: null,
    demo: false,
    sessions: 0,
    fake,
    scene: Object.fromEntries(Object.entries(scene).map(([role, node]) => [role, node.id])),
    select(ids) {
      fake.currentPage.selection = ids.map((id) => {
        const node = fake.node(id);
        if (!node) throw new Error(`no node ${id}`);
        return node;
      });
      tick();
    },
    undo,
    redo,
    resize: (id, width, height) => edit(id, (node) => node.resize(width, height)),
    remove: (id) => edit(id, (node) => node.remove()),
    rename: (id, name) => edit(id, (node) => (node.name = name)),
    draw(parentId, kind, box) {
      const parent = fake.node(parentId);
      if (!parent || parent.removed || !('appendChild' in parent)) throw new Error(`no container ${parentId}`);
      // Figma's rectangle/ellipse tool: a grey shape drawn inside the frame under the pointer,
      // selected, its own undo step (Undo deletes it again).
      const shape = kind === 'ellipse' ? fake.ellipse({ ...box }) : fake.rectangle({ ...box });
      shape.attach(parent);
      shape.journalCreation();
      fake.figma.commitUndo();
      fake.currentPage.selection = [shape];
      tick();
      return shape.id;
    },
    async relaunch(nodeId, key) {
      const node = fake.node(nodeId);
      if (!node || node.removed) throw new Error(`no node ${nodeId}`);
      if (!(key in node.getRelaunchData())) throw new Error(`${node.name} has no relaunch button "${key}"`);
      api.select([nodeId]); // the button is on the selected layer's properties panel
      await runPlugin({ command: key });
    },
    async quickAction(command, parameters) {
      await runPlugin({ command, parameters });
    },
    closePlugin,
    runPlugin: () => runPlugin({}),
    setTheme: applyTheme,
    zoomToFit: () => view.zoomToFit(),
    snapshot: () => snapshotOf(fake, { panelOpen, theme }),
    async imageBase64(hash) {
      const image = fake.figma.getImageByHash(hash);
      if (!image) throw new Error(`no image ${hash}`);
      const bytes = await image.getBytesAsync();
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(binary);
    },
  };
  window.__playground = api;

  try {
    await seedSettings(fake, params.get('backend'), params.get('token'));
    const demo = await demoMode();
    api.demo = demo;
    $('demo-banner').hidden = !demo;
    await runPlugin();
    api.ready = true;
  } catch (error) {
    showStartupError(error);
  }
}

void boot();
