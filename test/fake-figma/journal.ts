// The fake's undo history: every document change records how to revert it; commitUndo() closes
// a step. undo() reverts the open changes if any (like figma.triggerUndo), else the last step.
export interface JournalEntry {
  description: string;
  revert(): void;
}

export class Journal {
  private open: JournalEntry[] = [];
  readonly steps: JournalEntry[][] = [];
  commitCalls = 0;
  private quiet = 0;

  record(description: string, revert: () => void): void {
    if (this.quiet === 0) this.open.push({ description, revert });
  }

  commit(): void {
    this.commitCalls++;
    if (this.open.length) {
      this.steps.push(this.open);
      this.open = [];
    }
  }

  /** Reverts one step; returns what it reverted (empty when there was nothing to undo). */
  undo(): string[] {
    const step = this.open.length ? this.open : (this.steps.pop() ?? []);
    if (step === this.open) this.open = [];
    this.silently(() => {
      for (const entry of [...step].reverse()) entry.revert();
    });
    return step.map((e) => e.description);
  }

  /** Changes made inside (test setup, reverts, derived layout) are not undo history. */
  silently<T>(fn: () => T): T {
    this.quiet++;
    try {
      return fn();
    } finally {
      this.quiet--;
    }
  }

  get openChanges(): readonly string[] {
    return this.open.map((e) => e.description);
  }
}
