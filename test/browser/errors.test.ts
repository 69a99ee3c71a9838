// What a designer sees when a run cannot work: a refused token, a backend that is not there,
// a prompt OpenAI's moderation blocks. Nothing lands on the canvas in any of these.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { screenshotPath, useHarness, type Playground } from './harness';

const h = useHarness({ fake: { latencyMs: 20 } });
let pg: Playground | undefined;

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function expectNothingPlaced(pg: Playground): Promise<void> {
  const snap = await pg.snapshot();
  expect(snap.undoSteps).toBe(0);
  expect(snap.created).toEqual([]);
}

describe('runs that fail', () => {
  it('a wrong access token points to Settings', async () => {
    pg = await h.open({ token: 'not-the-token' });
    await pg.clickFrame('square');
    await pg.run('A paper crane on a desk, soft light', 'Low');
    const alert = pg.panel.getByRole('alert').filter({ hasText: /access token was refused/i });
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).toMatch(/check it in Settings/);
    await pg.panel.getByRole('button', { name: 'Open Settings' }).click();
    await pg.panel.locator('#access-token').waitFor();
    expect(await pg.panel.locator('#access-token').inputValue()).toBe('not-the-token');
    expect(h.harness.fake.requests).toHaveLength(0); // refused at the backend, OpenAI never asked
    await expectNothingPlaced(pg);
  });

  it('a backend that is down: the panel says it cannot reach that URL', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    pg = await h.open({ backend: url });
    await pg.clickFrame('iphone');
    const started = Date.now();
    await pg.run('A city street at night, neon reflections', 'Low');
    // Never a frozen screen: the card says what is going on while it retries…
    await pg.panel.getByText("Can't reach the backend — retrying (1/2)…").waitFor({ timeout: 3_000 });
    await pg.page.locator('#plugin-window').screenshot({ path: screenshotPath('panel-unreachable-retrying') });
    // …and gives up within a few seconds, pointing at the URL.
    const alert = pg.panel.getByRole('alert').filter({ hasText: /can't reach/i });
    await alert.waitFor({ timeout: 6_000 });
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(await alert.textContent()).toContain(url);
    expect(await pg.panel.locator('.jobs .label-aside').textContent()).toBe('Nothing spent');
    expect(await pg.panel.getByRole('button', { name: 'Open Settings' }).count()).toBe(1);
    await pg.page.locator('#plugin-window').screenshot({ path: screenshotPath('panel-unreachable') });
    await expectNothingPlaced(pg);
  });

  it('a prompt blocked by moderation gets a plain-language message', async () => {
    h.harness.fake.setFault({ kind: 'moderation_blocked' }, 1);
    pg = await h.open();
    await pg.clickFrame('desktop');
    await pg.run('A dramatic scene with a famous actor', 'Low');
    const alert = pg.panel.getByRole('alert').filter({ hasText: /safety system blocked this prompt/i });
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).toMatch(/Rephrase it/);
    expect(await alert.textContent()).not.toMatch(/moderation_blocked|400|error/i);
    // Retrying the same prompt would be blocked again: the way forward is editing it.
    expect(await pg.panel.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    expect(await pg.panel.locator('.jobs .label-aside').textContent()).toBe('Nothing spent');
    await pg.page.locator('#plugin-window').screenshot({ path: screenshotPath('panel-moderation') });
    await pg.panel.getByRole('button', { name: 'Edit prompt' }).click();
    expect(await pg.panel.locator('#prompt').evaluate((el) => el === document.activeElement)).toBe(true);
    await expectNothingPlaced(pg);
  });
});
