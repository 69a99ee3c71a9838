import { describe, expect, it } from 'vitest';
import { createNodeFakeFigma } from '../test/fake-figma/node';
import type { SceneNode } from './figma-types';
import { describeSelection } from './selection';
import { discoverTexts, MAX_TEXT_CHARS, MAX_TEXTS } from './text-discovery';

const asScene = (node: unknown) => node as SceneNode;

describe('text discovery: the texts a target belongs with', () => {
  it('an empty photo in an auto-layout card takes the card title first, then the smaller texts in reading order', () => {
    const fake = createNodeFakeFigma();
    const photo = fake.frame({ name: 'Photo', width: 240, height: 180 });
    fake.frame({
      name: 'Product card',
      layoutMode: 'VERTICAL',
      itemSpacing: 8,
      children: [
        photo,
        fake.text({ name: 'Price', characters: '$24', fontSize: 14 }),
        fake.text({ name: 'Title', characters: 'Copper kettle', fontSize: 20 }),
        fake.text({ name: 'Caption', characters: 'Hand-hammered, 1.2 l', fontSize: 14 }),
      ],
    });
    // Price sits above Caption in the auto layout: same size, so reading order decides.
    expect(discoverTexts(asScene(photo))).toEqual({ texts: ['Copper kettle', '$24', 'Hand-hammered, 1.2 l'], parentName: 'Product card' });
  });

  it("a target's own text wins over its card's, and {parent} is the layer it sits in", () => {
    const fake = createNodeFakeFigma();
    const tile = fake.frame({ name: 'Tile', children: [fake.text({ characters: 'Inside', fontSize: 10 })] });
    fake.frame({ name: 'Grid', children: [tile, fake.text({ characters: 'Outside heading', fontSize: 40 })] });
    expect(discoverTexts(asScene(tile))).toEqual({ texts: ['Inside'], parentName: 'Grid' });
  });

  it('walks up through nested groups to the card that holds the text', () => {
    const fake = createNodeFakeFigma();
    const photo = fake.rectangle({ name: 'Image', x: 0, y: 0 });
    const inner = fake.group({ name: 'Media', children: [photo, fake.ellipse({ name: 'Badge' })] });
    const outer = fake.group({ name: 'Top', children: [inner] });
    fake.frame({ name: 'Team member', children: [outer, fake.text({ characters: 'Ada Lovelace', fontSize: 18, y: 120 }), fake.text({ characters: 'Engineer', fontSize: 12, y: 150 })] });
    expect(discoverTexts(asScene(photo))).toEqual({ texts: ['Ada Lovelace', 'Engineer'], parentName: 'Team member' });
  });

  it('reads text inside instances and components (a card built from a component)', () => {
    const fake = createNodeFakeFigma();
    const photo = fake.frame({ name: 'Cover' });
    fake.instance({ name: 'Blog card', children: [photo, fake.frame({ name: 'Meta', children: [fake.text({ characters: 'Ten tips for lighting', fontSize: 22 })] })] });
    expect(discoverTexts(asScene(photo)).texts).toEqual(['Ten tips for lighting']);
    const hero = fake.frame({ name: 'Hero' });
    fake.component({ name: 'Card / default', children: [hero, fake.text({ characters: 'Component title', fontSize: 16 })] });
    expect(discoverTexts(asScene(hero))).toEqual({ texts: ['Component title'], parentName: 'Card / default' });
  });

  it('mixed fonts: a layer counts at the largest size in it', () => {
    const fake = createNodeFakeFigma();
    const photo = fake.frame({ name: 'Photo' });
    fake.frame({
      name: 'Card',
      children: [
        photo,
        fake.text({ characters: 'Plain 18', fontSize: 18, y: 0 }),
        // mostly small, one big word: it is the headline
        fake.text({ runs: [{ characters: 'New ', fontSize: 28 }, { characters: 'oak chair', fontSize: 12 }], y: 200 }),
      ],
    });
    expect(discoverTexts(asScene(photo)).texts).toEqual(['New oak chair', 'Plain 18']);
  });

  it('leaves out hidden text, empty text, and the page (a top-level frame has nothing nearby)', () => {
    const fake = createNodeFakeFigma();
    fake.text({ characters: 'On the page itself', fontSize: 30 });
    const alone = fake.frame({ name: 'Alone' });
    expect(discoverTexts(asScene(alone))).toEqual({ texts: [], parentName: null });
    const photo = fake.frame({ name: 'Photo' });
    fake.frame({ name: 'Card', children: [photo, fake.text({ characters: 'Secret', visible: false }), fake.text({ characters: '   ' })] });
    expect(discoverTexts(asScene(photo))).toEqual({ texts: [], parentName: 'Card' });
  });

  it('bounds what crosses to the panel: one line each, clipped, at most a few, no repeats', () => {
    const fake = createNodeFakeFigma();
    const photo = fake.frame({ name: 'Photo' });
    const many = Array.from({ length: 12 }, (_, i) => fake.text({ characters: `Line ${i}`, y: i * 10 }));
    fake.frame({ name: 'Card', children: [photo, fake.text({ characters: `Long\n${'x'.repeat(500)}`, fontSize: 30 }), fake.text({ characters: 'Line 0', y: 500 }), ...many] });
    const { texts } = discoverTexts(asScene(photo));
    expect(texts).toHaveLength(MAX_TEXTS);
    expect(texts[0]).toMatch(/^Long x+$/);
    expect(texts[0]).toHaveLength(MAX_TEXT_CHARS);
    expect(texts.filter((t) => t === 'Line 0')).toHaveLength(1);
  });

  it('the selection sends each target with its texts and container name', () => {
    const fake = createNodeFakeFigma();
    const photos = ['Copper kettle', 'Wool throw'].map((title) => {
      const photo = fake.frame({ name: 'Photo' });
      fake.frame({ name: `Card ${title}`, layoutMode: 'VERTICAL', children: [photo, fake.text({ characters: title, fontSize: 18 })] });
      return photo;
    });
    const { targets } = describeSelection(photos.map(asScene));
    expect(targets.map((t) => [t.texts, t.parentName])).toEqual([
      [['Copper kettle'], 'Card Copper kettle'],
      [['Wool throw'], 'Card Wool throw'],
    ]);
  });
});
