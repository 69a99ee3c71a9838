// Structured prompt helpers: a prompt reads subject first, then camera and lighting, then style
// anchors. Chips are comma-separated segments; toggling one puts it in its place or takes it out.

export type ChipGroup = 'camera' | 'style';

export const CAMERA_CHIPS = ['35mm', '85mm', 'macro', 'overhead', 'wide angle', 'soft rim light', 'golden hour', 'studio softbox'] as const;
export const STYLE_CHIPS = ['editorial photography', 'flat illustration', '3D render', 'watercolour', 'isometric', 'product shot'] as const;

const norm = (s: string) => s.trim().toLowerCase();
const isStyle = (segment: string) => STYLE_CHIPS.some((chip) => norm(chip) === norm(segment));

function segments(prompt: string): string[] {
  return prompt
    .trim()
    .replace(/[.\s]+$/, '')
    .split(/\s*,\s*/)
    .filter((s) => s.trim() !== '');
}

export function hasChip(prompt: string, chip: string): boolean {
  return segments(prompt).some((s) => norm(s) === norm(chip));
}

/**
 * Adds the chip where the guide puts it (camera/lighting after the subject and before any style
 * anchor; style anchors at the end), or removes it when it is already there.
 */
export function toggleChip(prompt: string, chip: string, group: ChipGroup): string {
  const parts = segments(prompt);
  const at = parts.findIndex((s) => norm(s) === norm(chip));
  if (at >= 0) {
    parts.splice(at, 1);
    return parts.join(', ');
  }
  if (group === 'style') return [...parts, chip].join(', ');
  // The subject stays first even when the prompt so far is only style anchors.
  const firstStyle = parts.findIndex((s, i) => i > 0 && isStyle(s));
  if (firstStyle < 0) parts.push(chip);
  else parts.splice(firstStyle, 0, chip);
  return parts.join(', ');
}
