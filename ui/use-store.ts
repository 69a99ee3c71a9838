import { useEffect, useState } from 'preact/hooks';
import type { Store } from './lib/store';

/** The store's current value; re-renders on change. */
export function useStore<T>(store: Store<T>): T {
  const [value, setValue] = useState(() => store.get());
  useEffect(() => {
    setValue(store.get());
    return store.subscribe(setValue);
  }, [store]);
  return value;
}
