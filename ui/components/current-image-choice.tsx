// Beside the plan line, only when a selected layer shows a Framefill image: by default Run replaces
// that image with a fresh one; this choice restyles it instead (the image goes as the reference).
import { hasFramefillImage } from '../lib/current-image';
import { usePanel } from '../model/panel-context';

export function CurrentImageChoice() {
  const panel = usePanel();
  if (!hasFramefillImage(panel.selection.value)) return null;
  return (
    <label class="switch current-image-choice" title="Off: a fresh image replaces the current one. On: the current image is restyled.">
      <input type="checkbox" checked={panel.useCurrentImage.value} onChange={(e) => panel.setUseCurrentImage((e.currentTarget as HTMLInputElement).checked)} />
      <span class="switch-track" aria-hidden="true" />
      <span>Use current image as reference</span>
    </label>
  );
}
