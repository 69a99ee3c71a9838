// The demo canvas: empty mockup frames of common sizes (filled by generation), a frame with
// content (restyled by an edit), a group and a text layer (skipped, with the reason shown), and a
// row of four product cards (issue 14: an empty photo frame and a title each, for `{text}` prompts).
import type { FakeFigma, FakeNode } from '../fake-figma/index';

export interface DemoScene {
  iphone: FakeNode;
  desktop: FakeNode;
  square: FakeNode;
  banner: FakeNode;
  card: FakeNode;
  group: FakeNode;
  caption: FakeNode;
  // (issue 14) four product cards: productCardN holds productPhotoN (empty) over productTitleN
  productCard1: FakeNode;
  productPhoto1: FakeNode;
  productTitle1: FakeNode;
  productCard2: FakeNode;
  productPhoto2: FakeNode;
  productTitle2: FakeNode;
  productCard3: FakeNode;
  productPhoto3: FakeNode;
  productTitle3: FakeNode;
  productCard4: FakeNode;
  productPhoto4: FakeNode;
  productTitle4: FakeNode;
}

/** The product cards' titles, left to right. */
export const PRODUCT_TITLES = ['Copper kettle', 'Linen bath towel', 'Oak cutting board', 'Wool throw'] as const;

const rgb = (hex: string) => ({ r: parseInt(hex.slice(1, 3), 16) / 255, g: parseInt(hex.slice(3, 5), 16) / 255, b: parseInt(hex.slice(5, 7), 16) / 255 });
const solid = (hex: string) => [{ type: 'SOLID' as const, color: rgb(hex) }];

export function buildDemoScene(fake: FakeFigma): DemoScene {
  const GAP = 120;
  const iphone = fake.frame({ name: 'iPhone 393×852', x: 0, y: 0, width: 393, height: 852 });
  const desktop = fake.frame({ name: 'Desktop 1440×1024', x: 393 + GAP, y: 0, width: 1440, height: 1024 });
  const square = fake.frame({ name: 'Square 512×512', x: desktop.x + 1440 + GAP, y: 0, width: 512, height: 512 });

  const row2 = 1024 + GAP + 40;
  const banner = fake.frame({ name: 'Banner 1200×300', x: 0, y: row2, width: 1200, height: 300 });
  const card = fake.frame({
    name: 'Product card',
    x: 1200 + GAP,
    y: row2,
    width: 720,
    height: 480,
    fills: solid('#f4efe6'),
    children: [
      fake.rectangle({ name: 'Photo', x: 40, y: 40, width: 300, height: 400, fills: solid('#c98a5b') }),
      fake.text({ name: 'Title', x: 380, y: 60, width: 300, height: 40, characters: 'Ceramic mug', fills: solid('#3b2f2a') }),
      fake.text({ name: 'Price', x: 380, y: 120, width: 300, height: 28, characters: '$24 · stoneware', fills: solid('#7a6a5f') }),
    ],
  });
  const groupX = card.x + 720 + GAP;
  const group = fake.group({
    name: 'Badge group',
    children: [
      fake.ellipse({ name: 'Dot', x: groupX, y: row2, width: 160, height: 160, fills: solid('#ff7262') }),
      fake.rectangle({ name: 'Bar', x: groupX + 40, y: row2 + 190, width: 240, height: 56, fills: solid('#1abcfe') }),
    ],
  });
  const caption = fake.text({ name: 'Caption', x: groupX, y: row2 + 300, width: 420, height: 48, characters: 'Text layers are skipped', fills: solid('#8a8a8a') });
  const products = buildProductCards(fake, row2 + 480 + GAP);
  return { iphone, desktop, square, banner, card, group, caption, ...products };
}

/** A grid row of auto-layout cards, as a shop mockup has them: photo on top, title under it. */
function buildProductCards(fake: FakeFigma, y: number) {
  const roles: Record<string, FakeNode> = {};
  PRODUCT_TITLES.forEach((title, i) => {
    const photo = fake.frame({ name: 'Photo', width: 320, height: 240, fills: solid('#e9e4dc') });
    const heading = fake.text({ name: 'Title', width: 320, height: 28, characters: title, fontSize: 20, fills: solid('#2b2420') });
    const card = fake.frame({ name: `Product card / ${title}`, x: i * (320 + 40), y, width: 320, height: 280, layoutMode: 'VERTICAL', itemSpacing: 12, fills: solid('#ffffff'), children: [photo, heading] });
    roles[`productCard${i + 1}`] = card;
    roles[`productPhoto${i + 1}`] = photo;
    roles[`productTitle${i + 1}`] = heading;
  });
  return roles as Pick<DemoScene, `product${'Card' | 'Photo' | 'Title'}${1 | 2 | 3 | 4}`>;
}
