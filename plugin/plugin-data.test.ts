// pluginData past Figma's 100 kB per entry: kept in pieces, read back whole, shrunk cleanly; the
// fake refuses an entry over the limit as Figma does, so these fail without the pieces.
import { describe, expect, it } from 'vitest';
import { createNodeFakeFigma } from '../test/fake-figma/node';
import { PIECE_CHARS, readPluginData, writePluginData } from './plugin-data';

const keys = (node: { getPluginDataKeys(): string[] }) => node.getPluginDataKeys().sort();

describe('pluginData of any length', () => {
  it('refuses one entry over 100 kB (the fake, as Figma) and keeps the same text in pieces', () => {
    const fake = createNodeFakeFigma();
    const node = fake.frame({ name: 'Root' });
    const text = 'テ'.repeat(40_000); // 120 kB of UTF-8
    expect(() => node.setPluginData('list', text)).toThrow(/100 kB/);
    writePluginData(node, 'list', text);
    expect(readPluginData(node, 'list')).toBe(text);
    expect(keys(node)).toEqual(['list', 'list#2']);
  });

  it('never splits a character written as two halves (emoji), and shrinking removes the pieces no longer needed', () => {
    const fake = createNodeFakeFigma();
    const node = fake.frame({ name: 'Root' });
    const text = `${'a'.repeat(PIECE_CHARS - 1)}📷${'b'.repeat(PIECE_CHARS * 2)}`; // the emoji straddles the first cut
    writePluginData(node, 'list', text);
    expect(readPluginData(node, 'list')).toBe(text);
    expect(node.getPluginData('list').endsWith('a')).toBe(true);
    expect(keys(node)).toEqual(['list', 'list#2', 'list#3', 'list#4']);
    writePluginData(node, 'list', 'short');
    expect(keys(node)).toEqual(['list']);
    expect(readPluginData(node, 'list')).toBe('short');
    writePluginData(node, 'list', '');
    expect(keys(node)).toEqual([]);
  });

  it('reads a value written whole before pieces existed', () => {
    const fake = createNodeFakeFigma();
    const node = fake.frame({ name: 'Root' });
    node.setPluginData('framefill.v1.kits', '[{"id":"k1"}]');
    expect(readPluginData(node, 'framefill.v1.kits')).toBe('[{"id":"k1"}]');
    expect(readPluginData(node, 'missing')).toBe('');
  });
});
