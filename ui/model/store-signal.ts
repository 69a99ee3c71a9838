// The run controller keeps its jobs in a plain Store (lib/store.ts, free of any UI library); this
// mirrors one into a signal so components read runs like the rest of the panel model.
import { effect, signal, type ReadonlySignal } from '@preact/signals';
import type { Store } from '../lib/store';

export function signalOf<T>(store: Store<T>): ReadonlySignal<T> {
  const mirror = signal(store.get());
  // An effect, so that inside createModel the subscription ends when the model is disposed.
  effect(() =>
    store.subscribe((value) => {
      mirror.value = value;
    }),
  );
  return mirror;
}
