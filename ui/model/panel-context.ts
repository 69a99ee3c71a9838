// How components reach the panel model: App provides it, usePanel() reads it.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { PanelModel } from './panel-model';

export const PanelContext = createContext<PanelModel | null>(null);

export function usePanel(): PanelModel {
  const panel = useContext(PanelContext);
  if (!panel) throw new Error('usePanel() needs a <PanelContext.Provider> above it');
  return panel;
}
