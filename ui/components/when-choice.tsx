// (issue 16) When the run's images are made: Now, or Overnight through OpenAI's Batch API at the
// batch price (within 24 h), placed when this file is next opened. Both totals are shown, so the
// saving is seen before choosing.
import { formatUsd } from '../lib/format';
import { discountWords } from '../lib/overnight-plan';
import { usePanel } from '../model/panel-context';
import type { When } from '../model/panel-model';
import { Segmented } from './segmented';

export function WhenChoice() {
  const panel = usePanel();
  const when = panel.when.value;
  const nowUsd = panel.plan.value.totalUsd;
  const overnightUsd = panel.overnightUsd.value;
  const words = discountWords(panel.overnight.discount.value);
  return (
    <div class="when">
      <Segmented<When>
        label="When"
        class="segmented-fit when-choice"
        value={when}
        onChange={panel.setWhen}
        disabled={panel.running.value}
        options={[
          { value: 'now', label: 'Now', sub: `≈ ${formatUsd(nowUsd)}`, ariaLabel: `Now, about ${formatUsd(nowUsd)}` },
          { value: 'overnight', label: 'Overnight', sub: `≈ ${formatUsd(overnightUsd)} · ${words}`, ariaLabel: `Overnight, about ${formatUsd(overnightUsd)}, ${words}, within 24 hours` },
        ]}
      />
      {when === 'overnight' && (
        <p class="muted when-note" id="when-note">
          Ready within 24 h — placed when this file is next opened.
        </p>
      )}
      {panel.onTheWayNow.value && (
        <p class="muted when-note" id="when-note">
          {panel.onTheWayNow.value}
        </p>
      )}
    </div>
  );
}
