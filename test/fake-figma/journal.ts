// The fake's undo history: every document change records how to revert it and how to do it again;
// commitUndo() closes a step. undo() reverts the open changes if any (like figma.triggerUndo), else
// the last step; redo() (the user's ⇧⌘Z) does the last undone step again, until a new change.
// Every change, undo and redo is also reported as node changes, as Figma's `nodechange` does.

/** What a change did to a node, in the terms of Figma's NodeChange. */
export interface NodeChangeRecord {
  id: string;
  type: 'CREATE' | 'DELETE' | 'PROPERTY_CHANGE';
  /** for PROPERTY_CHANGE: e.g. "fills", "width", "pluginData" */
  property?: string;
}

export interface JournalEntry {
  description: string;
  change: NodeChangeRecord;
  revert(): void;
  reapply(): void;
}

const INVERSE = { CREATE: 'DELETE', DELETE: 'CREATE', PROPERTY_CHANGE: 'PROPERTY_CHANGE' } as const;

export class Journal {
  private open: JournalEntry[] = [];
  readonly steps: JournalEntry[][] = [];
  /** undone steps, the most recent last */
  readonly undone: JournalEntry[][] = [];
  commitCalls = 0;
  private quiet = 0;
  private readonly listeners = new Set<(changes: NodeChangeRecord[]) => void>();

  record(description: string, change: NodeChangeRecord, revert: () => void, reapply: () => void): void {
    if (this.quiet !== 0) return;
    this.open.push({ description, change, revert, reapply });
    this.undone.length = 0; // a new change ends what redo could bring back
    this.report([change]);
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
    if (step.length) this.undone.push(step);
    this.report([...step].reverse().map((e) => ({ ...e.change, type: INVERSE[e.change.type] })));
    return step.map((e) => e.description);
  }

  /** Does the last undone step again; returns what it redid (empty when there was nothing). */
  redo(): string[] {
    if (this.open.length) {
      // Like Figma: changes since the last undo end what redo could bring back.
      this.steps.push(this.open);
      this.open = [];
      this.undone.length = 0;
      return [];
    }
    const step = this.undone.pop();
    if (!step) return [];
    this.silently(() => {
      for (const entry of step) entry.reapply();
    });
    this.steps.push(step);
    this.report(step.map((e) => e.change));
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

  /** Hears every recorded change, undo and redo (not silent setup). */
  onChange(listener: (changes: NodeChangeRecord[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private report(changes: NodeChangeRecord[]): void {
    if (!changes.length) return;
    for (const listener of [...this.listeners]) listener(changes);
  }
}
