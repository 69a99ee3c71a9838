// Benchmark figures: one line each in a table (value, target, PASS/MISS) and a JSON file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import os from 'node:os';

export interface Target {
  op: '<=' | '>=';
  value: number;
}

export interface Figure {
  id: string;
  label: string;
  value: number;
  unit: string;
  /** null: reported for information, nothing to pass */
  target: Target | null;
  /** how it was measured and the figures behind it, one line */
  details: string;
  data?: Record<string, unknown>;
}

export type Verdict = 'PASS' | 'MISS' | 'info';

export function verdict(f: Figure): Verdict {
  if (!f.target) return 'info';
  if (!Number.isFinite(f.value)) return 'MISS';
  return (f.target.op === '<=' ? f.value <= f.target.value : f.value >= f.target.value) ? 'PASS' : 'MISS';
}

const show = (value: number, unit: string) => `${Number.isFinite(value) ? (Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 1000) / 1000) : value} ${unit}`.trim();

export function table(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [f.label, show(f.value, f.unit), f.target ? `${f.target.op === '<=' ? '≤' : '≥'} ${show(f.target.value, f.unit)}` : '—', verdict(f)]);
  const header = ['figure', 'measured', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  const out = [line(header), widths.map((w) => '─'.repeat(w)).join('  ')];
  figures.forEach((f, i) => {
    out.push(line(rows[i]!));
    out.push(`    ${f.details}`);
  });
  return out.join('\n');
}

export function environment(): Record<string, unknown> {
  return { date: new Date().toISOString(), node: process.version, platform: `${os.platform()} ${os.arch()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown' };
}

export function writeResults(path: string, figures: readonly Figure[], seconds: number): void {
  const results = figures.map((f) => ({ ...f, verdict: verdict(f) }));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ ...environment(), seconds: Math.round(seconds), results }, null, 2)}\n`);
}
