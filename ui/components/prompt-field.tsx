// The prompt: a textarea that runs on Cmd/Ctrl+Enter, the lint hints under it and the
// structured helpers (camera & light, style) that put each chip where the guide says.
import { useMemo } from 'preact/hooks';
import { lintPrompt } from '../lib/prompt-lint';
import { startWithTextField, suggestTextField } from '../lib/field-suggestion';
import { CAMERA_CHIPS, STYLE_CHIPS, hasChip, toggleChip, type ChipGroup } from '../lib/prompt-chips';
import { usePanel } from '../model/panel-context';
import { HintIcon } from './icons';
import { isRunShortcut } from './run-shortcut';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/** "Edit prompt" on a refused request: the caret at the end of the prompt, in view. */
export function focusPrompt(): void {
  const box = document.getElementById('prompt');
  if (!(box instanceof HTMLTextAreaElement)) return;
  box.focus();
  box.setSelectionRange(box.value.length, box.value.length);
  box.scrollIntoView?.({ block: 'nearest' });
}

export function PromptField() {
  const panel = usePanel();
  const prompt = panel.prompt.value;
  const hd = panel.hd.value;
  const onChange = panel.setPrompt;
  const hints = useMemo(() => lintPrompt(prompt, { hd }), [prompt, hd]);
  const onKeyDown = (event: KeyboardEvent) => {
    if (isRunShortcut(event)) {
      event.preventDefault();
      panel.run();
    }
  };
  return (
    <section class="section">
      <div class="label-row">
        <label id="prompt-label" for="prompt" class="label">
          Prompt
        </label>
        <span class="kbd-hint" aria-hidden="true">
          {isMac ? '⌘' : 'Ctrl'}+↵ to run
        </span>
      </div>
      <textarea
        id="prompt"
        class="textarea"
        rows={4}
        value={prompt}
        placeholder="Subject first — e.g. a ceramic mug on a walnut desk, morning light"
        aria-describedby="prompt-hints"
        onInput={(e) => onChange((e.currentTarget as HTMLTextAreaElement).value)}
        onKeyDown={onKeyDown}
        spellcheck
      />
      <div id="prompt-hints" class="hints" role="status" aria-live="polite">
        {hints.map((hint) => (
          <p key={hint.id} class="hint" data-hint={hint.id}>
            <HintIcon />
            <span>{hint.message}</span>
          </p>
        ))}
        <TextFieldHint />
      </div>
      <ChipRow title="Camera & light" group="camera" chips={CAMERA_CHIPS} prompt={prompt} onChange={onChange} />
      <ChipRow title="Style" group="style" chips={STYLE_CHIPS} prompt={prompt} onChange={onChange} />
    </section>
  );
}

/** Several frames with their own titles and one prompt for all: {text} gives each its own subject. */
function TextFieldHint() {
  const panel = usePanel();
  const plan = panel.plan.value;
  const suggestion = suggestTextField(plan.jobs.flatMap((j) => (j.target ? [j.target] : [])), plan.fields);
  if (!suggestion) return null;
  const [first, second] = suggestion.examples.map((text) => `“${text}”`);
  return (
    <p class="hint" data-hint="text-field">
      <HintIcon />
      <span>
        {suggestion.frames} frames each sit with their own text ({first}, {second}
        {suggestion.frames > 2 ? ', …' : ''}). Put <code>{'{text}'}</code> in the prompt to give each its own subject.{' '}
        <button type="button" class="link-button" onClick={() => panel.setPrompt(startWithTextField(panel.prompt.peek()))}>
          Start with {'{text}'}
        </button>
      </span>
    </p>
  );
}

function ChipRow({ title, group, chips, prompt, onChange }: { title: string; group: ChipGroup; chips: readonly string[]; prompt: string; onChange(p: string): void }) {
  return (
    <div class="chip-row" role="group" aria-label={`${title} — adds to the prompt`}>
      <span class="chip-title" aria-hidden="true">
        {title}
      </span>
      {chips.map((chip) => {
        const on = hasChip(prompt, chip);
        return (
          <button key={chip} type="button" class="chip" aria-pressed={on} onClick={() => onChange(toggleChip(prompt, chip, group))}>
            {chip}
          </button>
        );
      })}
    </div>
  );
}
