// The panel: wires the sandbox channel, the form state, the plan and the run controller to
// the three tabs. Logic lives in lib/ (pure) and run/ (orchestration); this file only connects.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Transport } from '../plugin/events';
import type { HistoryEntry, Prefill, Selection, Settings } from '../plugin/messages';
import { MAX_UPLOAD_BYTES, RUN_CONCURRENCY } from './config';
import { BackendClient } from './lib/backend-client';
import { createLimiter } from './lib/concurrency';
import { newId } from './lib/ids';
import { describeError } from './lib/error-messages';
import { makeThumbnail, prepareEditUploads } from './lib/image-canvas';
import { buildPlan, type FormChoice, type PinnedRef } from './lib/plan';
import type { ImageOps } from './run/context';
import { createRunController, isRunning } from './run/controller';
import { placeAgain } from './run/placement';
import { DEFAULT_SETTINGS, prefillChanges, withDefaults } from './settings';
import { createPanelChannel, createRequester } from './transport';
import { useStore } from './use-store';
import { CreateTab } from './components/create-tab';
import { HistoryTab } from './components/history-tab';
import { SettingsTab } from './components/settings-tab';
import { Tabs, type TabId } from './components/tabs';
import { useNow } from './components/use-now';

export interface AppProps {
  /** defaults to postMessage with the parent frame */
  transport?: Transport;
  /** defaults to the canvas implementation */
  imageOps?: ImageOps;
}

const EMPTY_SELECTION: Selection = { targets: [], skipped: [] };

/** "Edit prompt" on a refused request: the caret at the end of the prompt, in view. */
function focusPrompt(): void {
  const box = document.getElementById('prompt');
  if (!(box instanceof HTMLTextAreaElement)) return;
  box.focus();
  box.setSelectionRange(box.value.length, box.value.length);
  box.scrollIntoView?.({ block: 'nearest' });
}
/** Form choices are saved this long after the last change, so clicking around doesn't spam storage. */
const SAVE_DELAY_MS = 400;

export function App({ transport, imageOps }: AppProps) {
  const [channel] = useState(() => createPanelChannel(transport));
  const [requester] = useState(() => createRequester(channel));
  const [tab, setTab] = useState<TabId>('create');
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [initialized, setInitialized] = useState(false);
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const [prompt, setPrompt] = useState('');
  const [pinned, setPinned] = useState<PinnedRef[]>([]);
  const [autoRun, setAutoRun] = useState(false);
  const settingsRef = useRef(settings);
  settingsRef.current = settings;
  const lastSaved = useRef('');

  const [controller] = useState(() =>
    createRunController({
      emit: (m) => channel.emit(m),
      requester,
      client: () => new BackendClient({ backendUrl: settingsRef.current.backendUrl, accessToken: settingsRef.current.accessToken }),
      imageOps: imageOps ?? { prepareEditUploads, makeThumbnail },
      limiter: createLimiter(RUN_CONCURRENCY),
      newId,
      now: () => Date.now(),
      uploadBudget: MAX_UPLOAD_BYTES,
    }),
  );
  const runState = useStore(controller.store);
  const running = isRunning(runState);

  const saveSettings = (next: Settings) => {
    const key = JSON.stringify(next);
    if (key === lastSaved.current) return;
    lastSaved.current = key;
    channel.emit({ type: 'save-settings', settings: next });
  };

  const applyPrefill = (prefill: Prefill | (Pick<Prefill, 'prompt' | 'tier' | 'size'> & { autoRun?: boolean; variations?: number })) => {
    setPrompt(prefill.prompt);
    const change: Partial<Settings> = prefillChanges(prefill);
    if ('variations' in prefill && prefill.variations) change.variations = Math.min(4, Math.max(1, prefill.variations));
    setSettings((s) => ({ ...s, ...change }));
    setTab('create');
    if (prefill.autoRun) setAutoRun(true);
  };

  useEffect(() => {
    const offs = [
      channel.on('init', (m) => {
        const loaded = withDefaults(m.settings);
        lastSaved.current = JSON.stringify(loaded);
        // Recovery below reads the settings before the next render.
        settingsRef.current = loaded;
        setSettings(loaded);
        setSelection(m.selection);
        setHistory(m.history);
        if (m.prefill) applyPrefill(m.prefill);
        setInitialized(true);
        if (m.pending.length > 0) void controller.recover(m.pending);
      }),
      channel.on('selection', (m) => setSelection(m.selection)),
      channel.on('history', (m) => setHistory(m.history)),
    ];
    channel.emit({ type: 'ready' });
    return () => {
      for (const off of offs) off();
      controller.dispose();
      requester.close();
      channel.close();
    };
  }, []);

  // Persist form choices (tier, size, HD, variations) shortly after they change.
  useEffect(() => {
    if (!initialized) return;
    const timer = setTimeout(() => saveSettings(settingsRef.current), SAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [initialized, settings]);

  const choice: FormChoice = settings;
  const plan = useMemo(
    () => buildPlan({ selection, pinned, choice: { tier: settings.tier, sizeMode: settings.sizeMode, customWidth: settings.customWidth, customHeight: settings.customHeight, hd: settings.hd && settings.sizeMode !== 'custom', variations: settings.variations }, promptChars: prompt.length }),
    [selection, pinned, settings.tier, settings.sizeMode, settings.customWidth, settings.customHeight, settings.hd, settings.variations, prompt.length],
  );
  const blocked = !initialized ? 'Connecting to Figma…' : !prompt.trim() ? 'Write a prompt to run.' : (plan.problems[0] ?? null);

  const run = () => {
    if (blocked || running) return;
    saveSettings(settingsRef.current);
    controller.start(plan, prompt.trim(), settings.tier);
  };

  useEffect(() => {
    if (autoRun && initialized) {
      setAutoRun(false);
      run();
    }
  }, [autoRun, initialized, plan]);

  const now = useNow(tab === 'history', 30_000);

  return (
    <div class="app">
      <Tabs
        value={tab}
        onChange={setTab}
        tabs={[
          { id: 'create', label: 'Create' },
          { id: 'history', label: history.length ? `History (${history.length})` : 'History' },
          { id: 'settings', label: 'Settings' },
        ]}
      />
      <div id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`} class={`tab-panel tab-panel-${tab}`}>
        {tab === 'create' && (
          <CreateTab
            prompt={prompt}
            onPrompt={setPrompt}
            choice={choice}
            onChoice={(change) => setSettings((s) => ({ ...s, ...change }))}
            selection={selection}
            pinned={pinned}
            onPinned={setPinned}
            plan={plan}
            tokenMissing={initialized && !settings.accessToken}
            running={running}
            blocked={blocked}
            onRun={run}
            onCancel={() => controller.cancel()}
            runState={runState}
            actions={{
              retry: (id) => controller.retry(id),
              place: (id, which) => void controller.place(id, which),
              discard: (id) => controller.discard(id),
              dismiss: (id) => controller.dismiss(id),
              dismissNotice: (id) => controller.dismissNotice(id),
              openSettings: () => setTab('settings'),
              editPrompt: focusPrompt,
            }}
          />
        )}
        {tab === 'history' && (
          <div class="scroll">
            <HistoryTab
              history={history}
              now={now}
              onPlaceAgain={async (entry) => {
                try {
                  const notices = await placeAgain(requester, entry, selection.targets[0]?.id ?? null);
                  return notices.join(' ') || (selection.targets[0] ? `Placed in ${selection.targets[0].name}.` : 'Placed at the viewport centre.');
                } catch (error) {
                  return `Couldn't place it: ${describeError(error).message}`;
                }
              }}
              onRerun={(entry) => applyPrefill({ prompt: entry.prompt, tier: entry.tier, size: entry.size, variations: entry.variations })}
              onClear={() => channel.emit({ type: 'clear-history' })}
            />
          </div>
        )}
        {tab === 'settings' && (
          <div class="scroll">
            <SettingsTab
              backendUrl={settings.backendUrl}
              accessToken={settings.accessToken}
              onSave={(backendUrl, accessToken) => {
                const next = { ...settingsRef.current, backendUrl, accessToken };
                setSettings(next);
                saveSettings(next);
              }}
            />
          </div>
        )}
      </div>
    </div>
  );
}
