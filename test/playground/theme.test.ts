// The playground must define every --figma-color-* variable the panel uses, in both themes, or
// the panel would look broken in the playground while fine in Figma (or the reverse).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FIGMA_THEMES, themeCss } from './theme';
import { themedHtml } from './bridge';

const UI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../ui');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

function tokensUsedByUi(): string[] {
  const used = new Set<string>();
  for (const file of filesUnder(UI).filter((f) => /\.(css|tsx?)$/.test(f))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/--figma-color-([a-z0-9-]+)/g)) used.add(m[1]!);
  }
  return [...used].sort();
}

describe('playground theme', () => {
  it('defines every --figma-color-* token the panel uses, light and dark', () => {
    const used = tokensUsedByUi();
    expect(used.length).toBeGreaterThan(10);
    for (const theme of ['light', 'dark'] as const) {
      expect(used.filter((t) => !(t in FIGMA_THEMES[theme])), `missing in ${theme}`).toEqual([]);
    }
  });

  it('has the same tokens in both palettes, with different values where themes differ', () => {
    expect(Object.keys(FIGMA_THEMES.dark).sort()).toEqual(Object.keys(FIGMA_THEMES.light).sort());
    expect(FIGMA_THEMES.light.bg).not.toBe(FIGMA_THEMES.dark.bg);
    expect(themeCss('dark')).toContain('--figma-color-bg: #2c2c2c;');
  });

  it('injects the theme into the panel HTML like Figma: a :root style and a class on <html>', () => {
    const html = themedHtml('<!doctype html><html lang="en"><head><title>x</title></head><body></body></html>', 'dark');
    expect(html).toMatch(/<html lang="en" class="figma-dark">/);
    expect(html.indexOf('<style id="figma-theme">:root {')).toBeGreaterThan(html.indexOf('<head>'));
    expect(html.indexOf('figma-theme')).toBeLessThan(html.indexOf('<title>'));
    expect(themedHtml('<html class="a"><head></head></html>', 'light')).toContain('<html class="figma-light a">');
  });
});
