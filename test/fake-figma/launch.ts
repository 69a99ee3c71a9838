// Test helper: starts the real sandbox (plugin/main.ts) against a fake figma and opens the
// panel the way Figma does: run event, then the panel's "ready".
import { afterEach, expect } from 'vitest';
import { start } from '../../plugin/main';
import { sandboxToUiSchema, type MessageOf, type Provenance, type SandboxToUi } from '../../plugin/messages';
import type { FakeFigma } from './fake';

export interface Launched {
  logs: string[];
  init: MessageOf<SandboxToUi, 'init'>;
}

export async function launch(fake: FakeFigma, run: { command?: string; parameters?: Record<string, unknown> } = {}): Promise<Launched> {
  const logs: string[] = [];
  start(fake.figma, { log: (m) => logs.push(m), html: '<main>panel</main>' });
  fake.run(run);
  const init = await fake.request<MessageOf<SandboxToUi, 'init'>>({ type: 'ready' }, 'init');
  return { logs, init };
}

/** Every message the sandbox sent must satisfy the contract the panel parses with. */
export function invalidOutbound(fake: FakeFigma): string[] {
  return fake.posted.flatMap((m, i) => {
    const parsed = sandboxToUiSchema.safeParse(m);
    return parsed.success ? [] : [`#${i} ${(m as { type?: string }).type}: ${parsed.error.message}`];
  });
}

/** Registers an afterEach that fails the test if the current fake ever sent an invalid message. */
export function checkOutboundAfterEach(current: () => FakeFigma | undefined): void {
  afterEach(() => {
    const fake = current();
    if (fake) expect(invalidOutbound(fake)).toEqual([]);
  });
}

/** A provenance record as the panel sends it with `place`. */
export function sampleProvenance(overrides: Partial<Provenance> = {}): Provenance {
  return {
    prompt: 'Golden hour portrait of a barista, 85mm, warm light',
    tier: 'medium',
    size: '1024x1536',
    model: 'gpt-image-2',
    costUsd: 0.041,
    createdAt: 1_760_000_000_000,
    referenceIds: [],
    requestId: 'req-1',
    ...overrides,
  };
}
