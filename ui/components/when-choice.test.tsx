// @vitest-environment happy-dom
import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Target } from '../../plugin/messages';
import { startApp, setupApp } from '../test/app-harness';
import { TEST_SETTINGS, initMessage, type fakeSandbox } from '../test/harness';

const frame = (id: string): Target => ({ id, name: `Frame ${id}`, type: 'FRAME', width: 1024, height: 1024, empty: true, maskId: null });
const app = setupApp();
let sandbox: ReturnType<typeof fakeSandbox>;
beforeEach(() => {
  sandbox = app.sandbox();
});

const open = (variations = 1) => startApp(sandbox, initMessage({ settings: { ...TEST_SETTINGS, variations }, selection: { targets: [frame('1'), frame('2')], skipped: [] } }));
const price = (name: RegExp) => Number(/\$(\d+\.\d+)/.exec(screen.getByRole('radio', { name }).getAttribute('aria-label') ?? '')?.[1]);

describe('When: Now or Overnight (issue 16)', () => {
  it('shows both totals, Overnight at half of Now, and says when the images come', async () => {
    await open();
    fireEvent.input(screen.getByLabelText('Prompt'), { target: { value: 'A copper kettle' } });
    expect(price(/^Overnight, about/)).toBeCloseTo(price(/^Now, about/) / 2, 2);
    expect(screen.queryByText(/Ready within 24 h/)).toBeNull();
    fireEvent.click(screen.getByRole('radio', { name: /^Overnight, about/ }));
    expect(screen.getByText('Ready within 24 h — placed when this file is next opened.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Run' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('does not run more than one variation a frame overnight, and says why', async () => {
    await open(2);
    fireEvent.input(screen.getByLabelText('Prompt'), { target: { value: 'A copper kettle' } });
    fireEvent.click(screen.getByRole('radio', { name: /^Overnight, about/ }));
    await waitFor(() => expect((screen.getByRole('button', { name: 'Run' }) as HTMLButtonElement).disabled).toBe(true));
    expect(screen.getByText('Overnight makes one image per frame — set Variations to 1.')).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: /^Now, about/ }));
    await waitFor(() => expect((screen.getByRole('button', { name: 'Run' }) as HTMLButtonElement).disabled).toBe(false));
  });
});
