// The Create tab: prompt, options, references, then the plan line and Run in a footer that
// stays in view, with this session's progress and results under the form. Each part reads what
// it needs from the panel model.
import { useComputed } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { usePanel } from '../model/panel-context';
import { JobList } from './job-list';
import { KitPicker } from './kit-picker';
import { ModelControl } from './model-picker';
import { SizeControl, TierControl, VariationsControl } from './options';
import { PlanSummary } from './plan-summary';
import { CurrentImageChoice } from './current-image-choice';
import { FinalizePanel } from './finalize-panel';
import { EditTools } from './edit-tools';
import { PromptField } from './prompt-field';
import { References } from './references';
import { LockLook } from './lock-look';
import { RunBar } from './run-bar';
import { ScheduledList } from './scheduled-list';
import { WhenChoice } from './when-choice';

const isTyping = () => {
  const el = document.activeElement;
  return el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && el.type !== 'radio' && el.type !== 'checkbox');
};

export function CreateTab() {
  const { runState } = usePanel();
  const results = useRef<HTMLDivElement>(null);
  // Bring progress into view when a run starts; the form above is long.
  const latestRun = useComputed(() => runState.value.jobs.find((j) => !j.recovered)?.runId).value;
  useEffect(() => {
    if (latestRun) results.current?.scrollIntoView?.({ block: 'start' });
  }, [latestRun]);
  // Likewise when results recovered from a closed panel (or notices about them) arrive, unless
  // the user is typing in the form by then.
  const recoveredJobs = useComputed(() => runState.value.jobs.filter((j) => j.recovered).length).value;
  const notices = useComputed(() => runState.value.notices.length).value;
  const seen = useRef({ jobs: recoveredJobs, notices });
  useEffect(() => {
    const grew = recoveredJobs > seen.current.jobs || notices > seen.current.notices;
    seen.current = { jobs: recoveredJobs, notices };
    if (grew && !isTyping()) results.current?.scrollIntoView?.({ block: 'start' });
  }, [recoveredJobs, notices]);
  return (
    <>
      <div class="scroll">
        {/* (issue 14, finalize) shown when the selection or the page holds Framefill images */}
        <FinalizePanel />
        {/* (issue 15) one selected image: Expand, Select area, Cut out, Upscale */}
        <EditTools />
        <PromptField />
        <KitPicker />
        <ModelControl />
        <TierControl />
        <SizeControl />
        <VariationsControl />
        <References />
        {/* (issue 14, look) */}
        <LockLook />
        <div ref={results}>
          {/* (issue 16) overnight runs of this file */}
          <ScheduledList />
          <JobList />
        </div>
      </div>
      <footer class="footer">
        <CurrentImageChoice />
        <PlanSummary />
        {/* (issue 16) Now or Overnight, both totals */}
        <WhenChoice />
        <RunBar />
      </footer>
    </>
  );
}
