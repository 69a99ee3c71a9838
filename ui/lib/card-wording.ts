// What a result card says once its image is on the canvas, in the words of what happened: a
// restyle goes above the layer it restyled, a fill goes into the frame, a new image is added
// at the viewport centre. Pure, so the wording is tested without rendering a card.
import type { JobSpec } from '../run/job';

/** (issue 15) what each edit tool did, in its own words */
const TOOL_DONE = {
  expand: (name: string) => `Expanded the image in ${name}.`,
  area: (name: string) => `Changed the area in ${name}.`,
  cutout: (name: string) => `Cut out above ${name}.`,
  upscale: (name: string) => `Upscaled the image in ${name}.`,
} as const;

/** The target as a sentence names it: "Photo in Product card / Copper kettle" when it sits in a card. */
export function targetLabel(spec: Pick<JobSpec, 'targetName' | 'targetContext'>): string {
  return spec.targetContext ? `${spec.targetName} in ${spec.targetContext}` : spec.targetName;
}

export function placedText(spec: Pick<JobSpec, 'targetId' | 'targetName' | 'targetContext' | 'sendsTarget' | 'inPlace' | 'tool'>): string {
  if (spec.targetId === null) return 'Added at the viewport centre.';
  const name = targetLabel(spec);
  if (spec.tool) return TOOL_DONE[spec.tool.tool](name);
  // Finalize sends the draft itself, and its final version takes the draft's place.
  if (spec.inPlace) return `Replaced the image in ${name}.`;
  // Only a restyle sends the layer itself; its result is a new layer stacked above it.
  return spec.sendsTarget ? `Placed above ${name}.` : `Filled ${name}.`;
}
