// Gentle prompt hints, after the launch guide's habits: lead with the subject, say what you want
// rather than what you don't, and be specific when asking for HD. Pure; hints never block a run.
import { truncate } from '../../common/text';

export interface PromptHint {
  id: 'negative' | 'preamble' | 'short-hd' | 'empty-subject';
  message: string;
  /** the words that triggered the hint, to quote back to the user */
  match?: string;
}

export interface LintContext {
  hd: boolean;
}

const NEGATIVE = [
  /\b(?:do not|don't|dont|never)\s+(?:include|show|add|put|use|draw|render|make|have)\b[^,.;]*/i,
  /\bno\s+(?:people|person|humans?|text|words|letters|logos?|watermarks?|background|shadows?|faces?|cars?|animals?|clutter|borders?)\b/i,
  /\bwithout\s+(?:any\s+)?[a-z]+/i,
  /\b(?:avoid|exclude|excluding)\s+[a-z]+/i,
];

const PREAMBLE =
  /^\s*(?:please\s+)?(?:(?:can|could)\s+you\s+)?(?:generate|create|make|draw|render|produce|design|give)\s+(?:me\s+|us\s+)?(?:(?:an?\s+|the\s+)?(?:image|picture|photo|photograph|illustration|render|drawing|graphic)\s+(?:of|showing|with|that shows)\s+)?/i;

/** Words; a prompt under this many is too thin for 2K-class detail. */
const HD_MIN_WORDS = 8;

export function lintPrompt(prompt: string, context: LintContext): PromptHint[] {
  const hints: PromptHint[] = [];
  const text = prompt.trim();
  if (!text) return hints;

  const preamble = PREAMBLE.exec(text);
  // Only a real preamble ("Generate me an image of …"), not a prompt that merely starts with "design".
  if (preamble && /\b(?:of|showing|with|that shows|me|us)\s*$/i.test(preamble[0]) && preamble[0].trim().split(/\s+/).length >= 2) {
    const rest = text.slice(preamble[0].length).trim();
    hints.push({
      id: 'preamble',
      match: preamble[0].trim(),
      message: rest
        ? `Lead with the subject: start with “${truncate(rest, 40)}” — “${preamble[0].trim()}” adds nothing the model needs.`
        : 'Lead with the subject: describe what should be in the image.',
    });
  }

  for (const pattern of NEGATIVE) {
    const found = pattern.exec(text);
    if (found) {
      hints.push({
        id: 'negative',
        match: found[0].trim(),
        message: `Say what you want instead of “${truncate(found[0].trim(), 32)}” — e.g. “an empty beach” rather than “no people”. Negatives often bring the thing in.`,
      });
      break;
    }
  }

  const words = text.split(/\s+/).filter(Boolean).length;
  if (context.hd && words < HD_MIN_WORDS) {
    hints.push({
      id: 'short-hd',
      message: 'HD shows every detail: describe materials, lighting and setting so the extra pixels have something to show.',
    });
  }
  return hints;
}
