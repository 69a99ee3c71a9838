// Style kits in the panel (issue 14): the kits of this file, the user's own and the defaults; the
// kit in use, whose suffix goes after the prompt on every run; picking one (model, tier, size mode
// and its reference layers that still exist), saving the current choice as a kit, deleting one.
import { computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import type { Kit, KitChoice, KitScope, Settings } from '../../plugin/messages';
import { MAX_PINNED_REFERENCES } from '../config';
import { DEFAULT_KITS } from '../lib/default-kits';
import { appendSuffix } from '../lib/prompt-suffix';
import type { PinnedRef } from '../lib/plan';
import type { PanelChannel } from '../transport';

export type KitSource = KitScope | 'default';

export interface KitInUse {
  source: KitSource;
  kit: Kit;
}

/** The form's choices a kit applies (a kit without a model keeps the chosen one). */
export function kitChoices(kit: Kit): Partial<Settings> {
  const change: Partial<Settings> = { tier: kit.tier, sizeMode: kit.sizeMode };
  if (kit.model) change.model = kit.model;
  if (kit.sizeMode === 'custom' && kit.customWidth && kit.customHeight) Object.assign(change, { customWidth: kit.customWidth, customHeight: kit.customHeight });
  return change;
}

/** The current form as a kit to save. */
export function kitFromForm(id: string, name: string, suffix: string, settings: Settings, pinned: readonly PinnedRef[]): Kit {
  return {
    id,
    name: name.trim().slice(0, 60),
    suffix: suffix.trim().slice(0, 1000),
    references: pinned.slice(0, 16).map((p) => ({ id: p.id, name: p.name.slice(0, 200) })),
    model: settings.model,
    tier: settings.tier,
    sizeMode: settings.sizeMode,
    ...(settings.sizeMode === 'custom' ? { customWidth: settings.customWidth, customHeight: settings.customHeight } : {}),
  };
}

interface KitDeps {
  channel: PanelChannel;
  settings: ReadonlySignal<Settings>;
  pinned: ReadonlySignal<PinnedRef[]>;
  choose(change: Partial<Settings>): void;
  setPinned(next: PinnedRef[]): void;
  newId(): string;
}

export function createKits({ channel, settings, pinned, choose, setPinned, newId }: KitDeps) {
  const file = signal<Kit[]>([]);
  const personal = signal<Kit[]>([]);
  const inUse = signal<KitInUse | null>(null);
  /** a line for the user: a save refused, reference layers gone */
  const notice = signal<string | null>(null);
  /** the pins the kit in use added, so picking another kit takes them off again */
  let kitPins: string[] = [];
  /** the find-kit-refs we wait for; an answer to an older pick is ignored */
  let waitingRid: string | null = null;

  /** pins the kit's reference layers that still exist (the answer comes as `kit-refs`) */
  const askRefs = (kit: Kit) => {
    waitingRid = null;
    if (!kit.references.length) return;
    waitingRid = newId();
    channel.emit({ type: 'find-kit-refs', rid: waitingRid, ids: kit.references.map((r) => r.id) });
  };
  const remember = (choice: KitChoice | null) => channel.emit({ type: 'choose-kit', choice });

  const lists = computed(() => ({ file: file.value, personal: personal.value, defaults: DEFAULT_KITS }));
  const find = (source: KitSource, id: string) => (source === 'default' ? DEFAULT_KITS : source === 'file' ? file.peek() : personal.peek()).find((k) => k.id === id);

  effect(() => {
    const offs = [
      // The kits are read once the sandbox is there, and again on each change it reports.
      channel.on('init', () => channel.emit({ type: 'load-kits' })),
      channel.on('kits', (m) => {
        file.value = m.file;
        personal.value = m.personal;
        notice.value = m.problem ?? null;
        // The kit in use when the panel was last open applies again: its suffix and pins (its
        // model, tier and size are in the stored settings already, perhaps changed since).
        const restored = m.choice && !inUse.peek() ? find(m.choice.source, m.choice.id) : undefined;
        if (restored && m.choice) {
          inUse.value = { source: m.choice.source, kit: restored };
          askRefs(restored);
        }
        const current = inUse.peek();
        if (current && current.source !== 'default') {
          const still = find(current.source, current.kit.id);
          inUse.value = still ? { source: current.source, kit: still } : null;
        }
      }),
      channel.on('kit-refs', (m) => {
        if (m.rid !== waitingRid) return;
        waitingRid = null;
        const current = inUse.peek();
        if (!current) return;
        const mine = pinned.peek();
        const fresh = m.refs.filter((r) => !mine.some((p) => p.id === r.id)).slice(0, Math.max(0, MAX_PINNED_REFERENCES - mine.length));
        kitPins = fresh.map((r) => r.id);
        setPinned([...mine, ...fresh]);
        const missing = current.kit.references.length - m.refs.length;
        if (missing > 0) notice.value = `${missing === 1 ? '1 reference layer' : `${missing} reference layers`} of “${current.kit.name}” ${missing === 1 ? 'is' : 'are'} no longer in this file.`;
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  });

  const unpinKitRefs = () => {
    if (kitPins.length) setPinned(pinned.peek().filter((p) => !kitPins.includes(p.id)));
    kitPins = [];
  };

  return {
    lists,
    inUse: inUse as ReadonlySignal<KitInUse | null>,
    notice: notice as ReadonlySignal<string | null>,
    /** pick a kit (null: none): its choices apply, its reference layers that still exist are pinned */
    pick(source: KitSource, id: string | null) {
      unpinKitRefs();
      waitingRid = null;
      notice.value = null;
      const kit = id === null ? undefined : find(source, id);
      inUse.value = kit ? { source, kit } : null;
      remember(kit ? { source, id: kit.id } : null);
      if (!kit) return;
      choose(kitChoices(kit));
      askRefs(kit);
    },
    /** the form's model, tier, size mode and pins with this suffix, as a kit in the file or personal */
    save(name: string, suffix: string, scope: KitScope) {
      const existing = (scope === 'file' ? file.peek() : personal.peek()).find((k) => k.name.trim().toLowerCase() === name.trim().toLowerCase());
      const kit = kitFromForm(existing?.id ?? newId(), name, suffix, settings.peek(), pinned.peek());
      channel.emit({ type: 'save-kit', scope, kit });
      kitPins = [];
      inUse.value = { source: scope, kit };
      remember({ source: scope, id: kit.id });
    },
    /** delete the kit in use (the defaults stay) */
    remove() {
      const current = inUse.peek();
      if (!current || current.source === 'default') return;
      channel.emit({ type: 'delete-kit', scope: current.source, id: current.kit.id });
      inUse.value = null;
      remember(null);
    },
    /** read the kits again: a teammate may have saved one in the file since */
    refresh: () => channel.emit({ type: 'load-kits' }),
    /** the prompt as it is sent */
    promptFor(prompt: string): string {
      const current = inUse.peek();
      return current ? appendSuffix(prompt, current.kit.suffix) : prompt;
    },
  };
}
