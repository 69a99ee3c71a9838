// Issue 11, defect 9: the production server must not serve the development playground, even when
// FRAMEFILL_PLAYGROUND=1 leaks into its environment.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../backend/errors';
import { withPlayground } from '../../backend/platform/playground';

const api = (_request: Request) => new Response('api');

describe('playground', () => {
  it('refuses to be mounted when NODE_ENV is production', () => {
    expect(() => withPlayground(api, { distDir: 'dist', demo: false, nodeEnv: 'production' })).toThrow(ConfigError);
    expect(() => withPlayground(api, { distDir: 'dist', demo: false, nodeEnv: 'production' })).toThrow(/FRAMEFILL_PLAYGROUND=1 is for development only/);
  });

  it('is mounted in development, ahead of the API', async () => {
    const fetch = withPlayground(api, { distDir: 'dist', demo: true, nodeEnv: 'development' });
    const mode = await fetch(new Request('http://localhost/playground/mode'));
    expect(await mode.json()).toEqual({ demo: true });
    expect(await (await fetch(new Request('http://localhost/v1/usage'))).text()).toBe('api');
  });
});
