// (issue 14) Settings' confirm threshold guards every spend — Run, Finalize, the bulk Re-run — at
// the price actually paid (Lock the look's extra inputs, the batch price overnight). Above it, the
// action asks once; a confirmed amount goes ahead, and the question lapses when the plan changes.
import { computed, signal, type ReadonlySignal } from '@preact/signals';

export type Spend = 'run' | 'finalize' | 'rerun';

/** The question on screen: which action, at what price. */
export interface SpendQuestion {
  what: Spend;
  usd: number;
}

export function createSpendConfirm(threshold: ReadonlySignal<number>, busy: ReadonlySignal<boolean>) {
  const asked = signal<(SpendQuestion & { price: ReadonlySignal<number> }) | null>(null);
  /** the amount "… anyway" accepted, for the one action it was accepted for */
  let confirmed: SpendQuestion | null = null;
  /** null when nothing is asked, or the price has changed since (a changed plan is asked about afresh) */
  const question = computed<SpendQuestion | null>(() => {
    const a = asked.value;
    return a && a.price.value === a.usd && !busy.value ? { what: a.what, usd: a.usd } : null;
  });
  return {
    question,
    /** true (and the question shows) when `what` at its current price is above the threshold and wasn't confirmed */
    asks(what: Spend, price: ReadonlySignal<number>): boolean {
      const usd = price.peek();
      const ask = usd > threshold.peek() && !(confirmed?.what === what && confirmed.usd === usd);
      asked.value = ask ? { what, usd, price } : null;
      if (!ask) confirmed = null;
      return ask;
    },
    /** "… anyway": the estimate was seen and accepted */
    confirm() {
      const a = asked.peek();
      confirmed = a && { what: a.what, usd: a.usd };
      asked.value = null;
    },
    dismiss() {
      asked.value = null;
    },
  };
}
