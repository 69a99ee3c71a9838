// Another process's memory, read from /proc/<pid>/status (Linux). Used to measure the backend
// alone, from outside, without adding a debug route to it.
import { existsSync, readFileSync } from 'node:fs';

export const PROC_MEMORY_AVAILABLE = existsSync('/proc/self/status');

export interface ProcMemory {
  /** resident set size now, bytes */
  rss: number;
  /** peak resident set size since the process started ("high water mark"), bytes */
  hwm: number;
}

export function procMemory(pid: number): ProcMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!match) throw new Error(`${field} missing from /proc/${pid}/status`);
    return Number(match[1]) * 1024;
  };
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

export const mb = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10;
