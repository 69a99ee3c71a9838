// A UI3-style segmented control, exposed as a radio group: one tab stop, arrow keys (and
// Home/End) move and select, Enter/Space select, the checked segment is announced.
import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';

export interface SegmentOption<T extends string | number> {
  value: T;
  label: ComponentChildren;
  /** second line, e.g. a price */
  sub?: ComponentChildren;
  /** accessible name when the label alone is ambiguous */
  ariaLabel?: string;
  title?: string;
}

interface Props<T extends string | number> {
  label: string;
  options: SegmentOption<T>[];
  value: T;
  onChange(value: T): void;
  disabled?: boolean;
  class?: string;
}

export function Segmented<T extends string | number>({ label, options, value, onChange, disabled, class: extra }: Props<T>) {
  const group = useRef<HTMLDivElement>(null);
  const current = Math.max(0, options.findIndex((o) => o.value === value));

  const move = (to: number) => {
    const index = (to + options.length) % options.length;
    onChange(options[index]!.value);
    const buttons = group.current?.querySelectorAll<HTMLButtonElement>('[role="radio"]');
    buttons?.[index]?.focus();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const keys: Record<string, number> = { ArrowRight: current + 1, ArrowDown: current + 1, ArrowLeft: current - 1, ArrowUp: current - 1, Home: 0, End: options.length - 1 };
    const to = keys[event.key];
    if (to === undefined) return;
    event.preventDefault();
    move(to);
  };

  return (
    <div ref={group} role="radiogroup" aria-label={label} class={`segmented ${extra ?? ''}`} onKeyDown={onKeyDown} aria-disabled={disabled || undefined}>
      {options.map((option, i) => (
        <button
          key={String(option.value)}
          type="button"
          role="radio"
          aria-checked={i === current}
          aria-label={option.ariaLabel}
          title={option.title}
          tabIndex={i === current ? 0 : -1}
          disabled={disabled}
          class="segment"
          onClick={() => onChange(option.value)}
        >
          <span class="segment-label">{option.label}</span>
          {option.sub !== undefined && <span class="segment-sub">{option.sub}</span>}
        </button>
      ))}
    </div>
  );
}
