// The Create tab: prompt, options, references, then the plan line and Run in a footer that
// stays in view, with this session's progress and results under the form.
import type { Tier } from '../../backend/pricing';
import type { Selection } from '../../plugin/messages';
import type { FormChoice, PinnedRef, Plan } from '../lib/plan';
import { useEffect, useRef } from 'preact/hooks';
import type { RunState } from '../run/context';
import { runProgress } from '../run/controller';
import type { JobActions } from './job-card';
import { JobList } from './job-list';
import { SizeControl, TierControl, VariationsControl } from './options';
import { PlanSummary } from './plan-summary';
import { PromptField } from './prompt-field';
import { References } from './references';
import { RunBar } from './run-bar';

interface Props {
  prompt: string;
  onPrompt(prompt: string): void;
  choice: FormChoice;
  onChoice(change: Partial<FormChoice>): void;
  selection: Selection;
  pinned: PinnedRef[];
  onPinned(pinned: PinnedRef[]): void;
  plan: Plan;
  tokenMissing: boolean;
  running: boolean;
  blocked: string | null;
  onRun(): void;
  onCancel(): void;
  runState: RunState;
  actions: JobActions & { dismissNotice(id: string): void };
}

const isTyping = () => {
  const el = document.activeElement;
  return el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && el.type !== 'radio' && el.type !== 'checkbox');
};

export function CreateTab(props: Props) {
  const { choice, onChoice } = props;
  const results = useRef<HTMLDivElement>(null);
  // Bring progress into view when a run starts; the form above is long.
  const latestRun = props.runState.jobs.find((j) => !j.recovered)?.runId;
  useEffect(() => {
    if (latestRun) results.current?.scrollIntoView?.({ block: 'start' });
  }, [latestRun]);
  // Likewise when results recovered from a closed panel (or notices about them) arrive, unless
  // the user is typing in the form by then.
  const arrivals = { jobs: props.runState.jobs.filter((j) => j.recovered).length, notices: props.runState.notices.length };
  const seen = useRef(arrivals);
  useEffect(() => {
    const grew = arrivals.jobs > seen.current.jobs || arrivals.notices > seen.current.notices;
    seen.current = arrivals;
    if (grew && !isTyping()) results.current?.scrollIntoView?.({ block: 'start' });
  }, [arrivals.jobs, arrivals.notices]);
  return (
    <>
      <div class="scroll">
        <PromptField prompt={props.prompt} hd={choice.hd && choice.sizeMode !== 'custom'} onChange={props.onPrompt} onRun={props.onRun} />
        <TierControl value={choice.tier} onChange={(tier: Tier) => onChoice({ tier })} />
        <SizeControl choice={choice} onChange={onChoice} />
        <VariationsControl value={choice.variations} onChange={(variations) => onChoice({ variations })} />
        <References pinned={props.pinned} selection={props.selection} onChange={props.onPinned} />
        <div ref={results}>
          <JobList state={props.runState} actions={props.actions} />
        </div>
      </div>
      <footer class="footer">
        <PlanSummary plan={props.plan} tokenMissing={props.tokenMissing} />
        <RunBar running={props.running} progress={runProgress(props.runState)} blocked={props.blocked} onRun={props.onRun} onCancel={props.onCancel} />
      </footer>
    </>
  );
}
