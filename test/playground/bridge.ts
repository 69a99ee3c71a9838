// Shows the plugin's panel the way Figma does: a sandboxed srcdoc iframe without
// allow-same-origin (origin "null"), themed with injected --figma-color-* variables, and
// Figma's message bridge: the panel's parent.postMessage({pluginMessage}) reaches figma.ui's
// handlers, figma.ui.postMessage(msg) arrives in the panel as {pluginMessage, pluginId}.
import type { UiHost } from '../fake-figma/index';
import { themeClass, themeCss, type ThemeName } from './theme';

export const PLUGIN_ID = 'framefill';
export const IFRAME_SANDBOX = 'allow-scripts allow-popups allow-forms';

/** Figma's own script in the panel document: applies theme updates live, no reload. */
const THEME_LISTENER = `<script>
window.addEventListener('message', function (event) {
  var theme = event.source === parent && event.data && event.data.__figmaTheme;
  if (!theme) return;
  document.getElementById('figma-theme').textContent = theme.css;
  document.documentElement.classList.remove('figma-light', 'figma-dark');
  document.documentElement.classList.add(theme.className);
});
</script>`;

/** The panel HTML with Figma's theme style, live-update script and <html> class added. */
export function themedHtml(html: string, theme: ThemeName): string {
  const head = `<style id="figma-theme">${themeCss(theme)}</style>${THEME_LISTENER}`;
  let out = html;
  const htmlTag = /<html\b[^>]*>/i.exec(out);
  if (htmlTag) {
    const tag = htmlTag[0];
    const withClass = /\bclass\s*=\s*"/i.test(tag)
      ? tag.replace(/\bclass\s*=\s*"/i, (m) => `${m}${themeClass(theme)} `)
      : tag.replace(/>$/, ` class="${themeClass(theme)}">`);
    out = out.slice(0, htmlTag.index) + withClass + out.slice(htmlTag.index + tag.length);
  }
  return /<head\b[^>]*>/i.test(out) ? out.replace(/<head\b[^>]*>/i, (m) => m + head) : head + out;
}

export interface ShowOptions {
  width?: number;
  height?: number;
  title?: string;
  themeColors?: boolean;
  visible?: boolean;
}

export interface PanelBridge extends UiHost {
  setTheme(theme: ThemeName): void;
  readonly iframe: HTMLIFrameElement | null;
}

export interface BridgeOptions {
  /** where the plugin window goes */
  mount: HTMLElement;
  theme: ThemeName;
  /** a panel → sandbox message (the fake's deliver) */
  deliver(message: unknown): void;
  /** the window's title bar text changed / the window opened or closed */
  onWindow?(state: { open: boolean; title: string }): void;
}

export function createPanelBridge(options: BridgeOptions): PanelBridge {
  let iframe: HTMLIFrameElement | null = null;
  let themed = false;
  let theme = options.theme;
  /** messages posted before the panel document loaded (they would reach about:blank) */
  let queue: unknown[] | null = null;

  const send = (data: unknown) => iframe?.contentWindow?.postMessage(data, '*');

  window.addEventListener('message', (event) => {
    if (!iframe || event.source !== iframe.contentWindow) return;
    const data: unknown = event.data;
    if (data && typeof data === 'object' && 'pluginMessage' in data) options.deliver((data as { pluginMessage: unknown }).pluginMessage);
  });

  return {
    get iframe() {
      return iframe;
    },
    show(html, raw) {
      const opts = (raw ?? {}) as ShowOptions;
      iframe?.remove();
      themed = opts.themeColors === true;
      const frame = document.createElement('iframe');
      frame.setAttribute('sandbox', IFRAME_SANDBOX);
      frame.className = 'plugin-iframe';
      frame.title = opts.title ?? 'Plugin';
      frame.style.width = `${opts.width ?? 100}px`;
      frame.style.height = `${opts.height ?? 100}px`;
      queue = [];
      frame.addEventListener('load', () => {
        const pending = queue ?? [];
        queue = null;
        for (const data of pending) send(data);
      }, { once: true });
      frame.srcdoc = themed ? themedHtml(html, theme) : html;
      options.mount.replaceChildren(frame);
      iframe = frame;
      options.onWindow?.({ open: opts.visible !== false, title: opts.title ?? 'Plugin' });
    },
    post(message) {
      const data = { pluginMessage: message, pluginId: PLUGIN_ID };
      if (queue) queue.push(structuredClone(data));
      else send(data);
    },
    resize(width, height) {
      if (!iframe) return;
      iframe.style.width = `${width}px`;
      iframe.style.height = `${height}px`;
    },
    close() {
      iframe?.remove();
      iframe = null;
      options.onWindow?.({ open: false, title: '' });
    },
    setTheme(next) {
      theme = next;
      if (!iframe || !themed) return;
      const update = { __figmaTheme: { css: themeCss(next), className: themeClass(next) } };
      if (queue) {
        // Not loaded yet: the srcdoc still has the old palette baked in; send the update after load.
        queue.push(update);
      } else send(update);
    },
  };
}
