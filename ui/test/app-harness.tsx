// The whole panel (App) under test in happy-dom: a fake sandbox answering its requests, the
// models route as `serveModels` says, and no network unless a test stubs its answers. Each test
// starts clean: the app unmounted, mocks and globals restored.
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import type { SandboxToUi } from '../../plugin/messages';
import { App } from '../app';
import { fakeImageOps, fakeSandbox, initMessage, sandboxSends, serveModels, stubFetch } from './harness';

/** Registers the hooks; `sandbox()` is the current test's fake sandbox. */
export function setupApp(): { sandbox: () => ReturnType<typeof fakeSandbox> } {
  let sandbox: ReturnType<typeof fakeSandbox>;
  beforeEach(() => {
    sandbox = fakeSandbox();
    serveModels();
    // Nothing reaches the network: a test that talks to the backend stubs its answers.
    stubFetch(() => {
      throw new TypeError('Failed to fetch');
    });
  });
  afterEach(() => {
    cleanup();
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });
  return { sandbox: () => sandbox };
}

/** Renders the panel, waits for its `ready`, and delivers `init`. */
export async function startApp(sandbox: ReturnType<typeof fakeSandbox>, init: SandboxToUi = initMessage()): Promise<void> {
  render(<App imageOps={fakeImageOps} />);
  await waitFor(() => expect(sandbox.ofType('ready')).toHaveLength(1));
  sandboxSends(init);
  await waitFor(() => expect(screen.queryByText('Connecting to Figma…')).toBeNull());
}
