// The panel: creates the panel model (model/panel-model.ts) for as long as it is open, provides it
// to the components and lays out the three tabs. State and actions live in the model; logic in
// lib/ (pure) and run/ (orchestration); this file only lays out.
import { useModel } from '@preact/signals';
import type { Transport } from '../plugin/events';
import type { ImageOps } from './run/context';
import { PanelContext } from './model/panel-context';
import { PanelModel } from './model/panel-model';
import { CreateTab } from './components/create-tab';
import { HistoryTab } from './components/history-tab';
import { SettingsTab } from './components/settings-tab';
import { Tabs } from './components/tabs';
import { useRunShortcut } from './components/run-shortcut';

export interface AppProps {
  /** defaults to postMessage with the parent frame */
  transport?: Transport;
  /** defaults to the canvas implementation */
  imageOps?: ImageOps;
}

export function App({ transport, imageOps }: AppProps) {
  const panel = useModel(() => new PanelModel({ transport, imageOps }));
  useRunShortcut(panel);
  const tab = panel.tab.value;
  const saved = panel.history.value.length;
  return (
    <PanelContext.Provider value={panel}>
      <div class="app">
        <Tabs
          value={tab}
          onChange={panel.setTab}
          tabs={[
            { id: 'create', label: 'Create' },
            { id: 'history', label: saved ? `History (${saved})` : 'History' },
            { id: 'settings', label: 'Settings' },
          ]}
        />
        <div id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`} class={`tab-panel tab-panel-${tab}`}>
          {tab === 'create' && <CreateTab />}
          {tab === 'history' && (
            <div class="scroll">
              <HistoryTab />
            </div>
          )}
          {tab === 'settings' && (
            <div class="scroll">
              <SettingsTab />
            </div>
          )}
        </div>
      </div>
    </PanelContext.Provider>
  );
}
