// Style kits in the sandbox (issue 14): "in this file" kits live in the document's root plugin
// data (a teammate's plugin reads them from there), personal kits in clientStorage.
import { describe, expect, it } from 'vitest';
import { createNodeFakeFigma, type FakeFigma } from '../test/fake-figma/node';
import { checkOutboundAfterEach, launch } from '../test/fake-figma/launch';
import { kitSchema, type Kit, type MessageOf, type SandboxToUi } from './messages';
import { KITS_KEY, KIT_CHOICE_KEY, MAX_FILE_KITS_CHARS, MAX_KITS, createKitStore, withKit } from './kits';

let fake: FakeFigma;
checkOutboundAfterEach(() => fake);

const kit = (over: Partial<Kit> = {}): Kit => ({
  id: 'k1',
  name: 'Brand studio',
  suffix: '50mm, softbox key light, seamless light-grey backdrop',
  references: [{ id: '1:5', name: 'Brand swatch' }],
  model: 'gpt-image-2',
  tier: 'high',
  sizeMode: '4:5',
  ...over,
});
type Kits = MessageOf<SandboxToUi, 'kits'>;
const ask = (message: unknown) => fake.request<Kits>(message, 'kits');

describe('kit schema', () => {
  it('round-trips a kit through JSON (as the document stores it) unchanged, custom size included', () => {
    const custom = kit({ sizeMode: 'custom', customWidth: 1088, customHeight: 1360 });
    expect(kitSchema.parse(JSON.parse(JSON.stringify(custom)))).toEqual(custom);
    const noModel = kit({ model: undefined });
    delete noModel.model;
    expect(kitSchema.parse(JSON.parse(JSON.stringify(noModel)))).toEqual(noModel);
  });

  it('refuses a kit with an unknown ratio, tier or an empty name', () => {
    expect(kitSchema.safeParse({ ...kit(), sizeMode: '7:5' }).success).toBe(false);
    expect(kitSchema.safeParse({ ...kit(), tier: 'ultra' }).success).toBe(false);
    expect(kitSchema.safeParse({ ...kit(), name: '' }).success).toBe(false);
  });
});

describe('document and personal kits', () => {
  it('a file kit goes to figma.root plugin data, a personal kit to clientStorage, and neither to the other', async () => {
    fake = createNodeFakeFigma();
    await launch(fake);
    const afterFile = await ask({ type: 'save-kit', scope: 'file', kit: kit() });
    expect(afterFile.file).toEqual([kit()]);
    expect(JSON.parse(fake.figma.root.getPluginData(KITS_KEY))).toEqual([kit()]);
    expect(fake.clientStorage.raw.has(KITS_KEY)).toBe(false);

    const mine = kit({ id: 'k2', name: 'My flat look', references: [], sizeMode: '4:3' });
    const afterPersonal = await ask({ type: 'save-kit', scope: 'personal', kit: mine });
    expect(afterPersonal).toMatchObject({ file: [kit()], personal: [mine] });
    expect(fake.clientStorage.raw.get(KITS_KEY)).toEqual([mine]);
    expect(JSON.parse(fake.figma.root.getPluginData(KITS_KEY))).toEqual([kit()]);
  });

  it('a second plugin session on the same document reads the file kits with its own, empty clientStorage', async () => {
    fake = createNodeFakeFigma();
    await launch(fake);
    await ask({ type: 'save-kit', scope: 'file', kit: kit() });
    fake.clientStorage.raw.clear(); // a teammate's machine: nothing of ours in clientStorage
    const teammate = createKitStore(fake.figma, () => undefined);
    expect(await teammate.load()).toEqual({ file: [kit()], personal: [], choice: null });
  });

  it('saving a kit of the same name replaces it; deleting removes it and clears the root entry when none is left', async () => {
    fake = createNodeFakeFigma();
    await launch(fake);
    await ask({ type: 'save-kit', scope: 'file', kit: kit() });
    const renamed = await ask({ type: 'save-kit', scope: 'file', kit: kit({ id: 'k9', name: 'brand STUDIO', tier: 'low' }) });
    expect(renamed.file).toEqual([kit({ id: 'k9', name: 'brand STUDIO', tier: 'low' })]);
    const gone = await ask({ type: 'delete-kit', scope: 'file', id: 'k9' });
    expect(gone.file).toEqual([]);
    expect(fake.figma.root.getPluginDataKeys()).not.toContain(KITS_KEY);
  });

  it('keeps the valid kits of a file whose data is partly broken, and shows none for data that is not JSON', async () => {
    fake = createNodeFakeFigma();
    const logs: string[] = [];
    const store = createKitStore(fake.figma, (m) => logs.push(m));
    fake.figma.root.setPluginData(KITS_KEY, JSON.stringify([kit(), { name: 'broken' }]));
    expect((await store.load()).file).toEqual([kit()]);
    fake.figma.root.setPluginData(KITS_KEY, '{not json');
    expect((await store.load()).file).toEqual([]);
    expect(logs.join(' ')).toMatch(/invalid|not valid JSON/);
  });

  it('refuses the kit past the limit with a reason, and keeps the ones stored', async () => {
    fake = createNodeFakeFigma();
    const store = createKitStore(fake.figma, () => undefined);
    let kits: Kit[] = [];
    for (let i = 0; i < MAX_KITS; i++) kits = withKit(kits, kit({ id: `k${i}`, name: `Kit ${i}` }));
    fake.figma.root.setPluginData(KITS_KEY, JSON.stringify(kits));
    const outcome = await store.save('file', kit({ id: 'one-more', name: 'One more' }));
    expect(outcome.problem).toMatch(/already holds 40 kits/);
    expect(outcome.file).toHaveLength(MAX_KITS);
  });

  it('refuses a file kit that would make the document entry too large, with a reason', async () => {
    fake = createNodeFakeFigma();
    const store = createKitStore(fake.figma, () => undefined);
    const huge = (i: number) => kit({ id: `h${i}`, name: `Huge ${i}`, suffix: 'x'.repeat(1000), references: Array.from({ length: 16 }, (_, j) => ({ id: `1:${j}`, name: 'n'.repeat(200) })) });
    let outcome = await store.save('file', huge(0));
    for (let i = 1; i < MAX_KITS && !outcome.problem; i++) outcome = await store.save('file', huge(i));
    expect(outcome.problem).toMatch(/too large/);
    expect(outcome.file.length).toBeLessThan(MAX_KITS);
    expect(fake.figma.root.getPluginData(KITS_KEY).length).toBeLessThanOrEqual(MAX_FILE_KITS_CHARS);
  });

  it('remembers the kit in use in clientStorage and hands it back with the kits when the panel opens', async () => {
    fake = createNodeFakeFigma();
    await launch(fake);
    await fake.deliver({ type: 'choose-kit', choice: { source: 'default', id: 'default:studio-product' } });
    const loaded = await ask({ type: 'load-kits' });
    expect(loaded.choice).toEqual({ source: 'default', id: 'default:studio-product' });
    fake.clientStorage.raw.set(KIT_CHOICE_KEY, { source: 'elsewhere' });
    expect((await ask({ type: 'load-kits' })).choice).toBeNull();
  });

  it("answers which of a kit's reference layers still exist, with their current names", async () => {
    fake = createNodeFakeFigma();
    const swatch = fake.frame({ name: 'Swatch' });
    const gone = fake.frame({ name: 'Old logo' });
    await launch(fake);
    gone.remove();
    const reply = await fake.request<MessageOf<SandboxToUi, 'kit-refs'>>({ type: 'find-kit-refs', rid: 'r1', ids: [swatch.id, gone.id, '9:99'] });
    expect(reply.refs).toEqual([{ id: swatch.id, name: 'Swatch' }]);
  });
});
