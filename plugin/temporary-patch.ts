// Temporary property changes that are always put back (exports that hide or recolour layers
// must leave the document exactly as the user had it).
export class TemporaryPatch {
  private readonly undo: Array<() => void> = [];

  set<N extends object, K extends keyof N>(node: N, key: K, value: N[K]): void {
    const old = node[key];
    if (old === value) return;
    node[key] = value;
    this.undo.push(() => {
      node[key] = old;
    });
  }

  /** Puts every change back, newest first; returns how many could not be restored. */
  restore(): number {
    let failed = 0;
    while (this.undo.length) {
      try {
        this.undo.pop()!();
      } catch {
        failed++; // the node was removed meanwhile; nothing left to restore
      }
    }
    return failed;
  }
}
