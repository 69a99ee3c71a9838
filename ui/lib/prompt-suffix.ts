// A style kit's suffix after the user's subject: pure, shared by the plan, the run and re-runs.

/**
 * The prompt as sent: the user's subject, then the kit's tail. A prompt that already ends with the
 * suffix (a History re-run of a kit's prompt) is left as it is.
 */
export function appendSuffix(prompt: string, suffix: string): string {
  const subject = prompt.trim();
  const tail = suffix.trim().replace(/^[,;.\s]+/, '');
  if (!tail) return subject;
  if (!subject) return tail;
  if (subject.toLowerCase().endsWith(tail.toLowerCase())) return subject;
  return `${subject.replace(/[,;\s]+$/, '')}, ${tail}`;
}
