import { describe, expect, it } from 'vitest';
import { fieldList, fieldValues, hasFields, resolvePrompt } from './prompt-fields';

const card = fieldValues({ name: 'Photo', texts: ['Copper kettle', '$24'], parentName: 'Product card' });

describe('prompt fields', () => {
  it('fills {text} with the most prominent text, {name} and {parent} with the layer names', () => {
    expect(resolvePrompt('Studio product photo of {text}, 50mm, softbox', card)).toEqual({ prompt: 'Studio product photo of Copper kettle, 50mm, softbox', missing: [], unknown: [] });
    expect(resolvePrompt('{name} in {parent}: {text} ({TEXT})', card).prompt).toBe('Photo in Product card: Copper kettle (Copper kettle)');
  });

  it('a field with nothing to fill stays as written and is reported, never filled with ""', () => {
    const alone = fieldValues({ name: 'Hero' });
    expect(resolvePrompt('A photo of {text} for {parent}', alone)).toEqual({ prompt: 'A photo of {text} for {parent}', missing: ['text', 'parent'], unknown: [] });
    expect(resolvePrompt('{name}', fieldValues(null)).missing).toEqual(['name']);
  });

  it('only {text}, {name} and {parent} are fields: other {words} are reported, other braces left alone', () => {
    expect(resolvePrompt('A {brand} mug {text} {', card)).toEqual({ prompt: 'A {brand} mug Copper kettle {', missing: [], unknown: ['{brand}'] });
    expect(resolvePrompt('JSON like { "a": 1 } and {} stays', card)).toEqual({ prompt: 'JSON like { "a": 1 } and {} stays', missing: [], unknown: [] });
    expect(hasFields('A {brand} mug')).toBe(false);
    expect(hasFields('A photo of {Text}')).toBe(true);
  });

  it('lists fields as a sentence does', () => {
    expect(fieldList(['text'])).toBe('{text}');
    expect(fieldList(['text', 'parent'])).toBe('{text} and {parent}');
    expect(fieldList(['{a}', 'name', 'parent'])).toBe('{a}, {name} and {parent}');
  });
});
