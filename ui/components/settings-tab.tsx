// Backend URL and access token (kept in the sandbox's clientStorage via save-settings), a
// connection test against GET /v1/usage and this month's spend.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { UsageSummary } from '../../backend/contract';
import { BackendClient } from '../lib/backend-client';
import { describeError } from '../lib/error-messages';
import { formatUsd } from '../lib/format';
import { usePanel } from '../model/panel-context';

type Check = { state: 'idle' } | { state: 'checking' } | { state: 'ok'; usage: UsageSummary } | { state: 'error'; message: string };

/** https anywhere; plain http only for this machine (Figma allows it only in development). */
export function urlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return 'Enter the full address, e.g. https://framefill.example.com';
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) return 'Use an https:// address (plain http only works for localhost).';
  return null;
}

/** GET /v1/usage with these settings: the connection test, and this month's spend. */
async function checkConnection(backendUrl: string, accessToken: string): Promise<Check> {
  try {
    const usage = await new BackendClient({ backendUrl: backendUrl.trim(), accessToken: accessToken.trim() }).usage();
    return { state: 'ok', usage };
  } catch (error) {
    return { state: 'error', message: describeError(error).message };
  }
}

export function SettingsTab() {
  const panel = usePanel();
  const { backendUrl, accessToken } = panel.settings.value;
  const [url, setUrl] = useState(backendUrl);
  const [token, setToken] = useState(accessToken);
  const [showToken, setShowToken] = useState(false);
  const [saved, setSaved] = useState(false);
  const [check, setCheck] = useState<Check>({ state: 'idle' });

  // Saved values can arrive after mount (init); take them unless the user already typed.
  useEffect(() => setUrl(backendUrl), [backendUrl]);
  useEffect(() => setToken(accessToken), [accessToken]);

  const problem = urlProblem(url);
  const dirty = url.trim() !== backendUrl || token.trim() !== accessToken;

  const test = async (u = url, t = token) => {
    if (urlProblem(u)) return;
    setCheck({ state: 'checking' });
    setCheck(await checkConnection(u, t));
  };

  // Month-to-date spend when the tab opens with a saved token (the settings it opened with).
  const opened = useRef({ backendUrl, accessToken });
  useEffect(() => {
    const { backendUrl: u, accessToken: t } = opened.current;
    if (!t || urlProblem(u)) return;
    setCheck({ state: 'checking' });
    void checkConnection(u, t).then(setCheck);
  }, []);

  const save = (event: Event) => {
    event.preventDefault();
    if (problem) return;
    panel.saveConnection(url.trim(), token.trim());
    setSaved(true);
  };

  const tokenProps = {
    id: 'access-token',
    class: 'input',
    value: token,
    spellcheck: false,
    autoComplete: 'off',
    onInput: (e: Event) => {
      setToken((e.currentTarget as HTMLInputElement).value);
      setSaved(false);
    },
  };

  return (
    <form class="settings" onSubmit={save} noValidate>
      <div class="field">
        <label class="label" for="backend-url">
          Backend URL
        </label>
        <input
          id="backend-url"
          class="input"
          type="url"
          value={url}
          spellcheck={false}
          autoComplete="off"
          aria-invalid={problem ? true : undefined}
          aria-describedby="backend-url-help"
          onInput={(e) => { setUrl((e.currentTarget as HTMLInputElement).value); setSaved(false); }}
        />
        <p id="backend-url-help" class={problem ? 'field-error' : 'muted'}>
          {problem ?? "Your team's Framefill backend. It holds the OpenAI key; this panel never sees it."}
        </p>
      </div>
      <div class="field">
        <label class="label" for="access-token">
          Access token
        </label>
        <div class="input-with-button">
          {/* Two elements: Preact's types tie `type` to the attributes each input type allows. */}
          {showToken ? <input type="text" {...tokenProps} /> : <input type="password" {...tokenProps} />}
          <button type="button" class="button-ghost" aria-pressed={showToken} onClick={() => setShowToken(!showToken)}>
            {showToken ? 'Hide' : 'Show'}
          </button>
        </div>
        <p class="muted">From your Framefill admin. Stored in Figma on this computer only.</p>
      </div>
      <div class="settings-actions">
        <button type="submit" class="button-primary" disabled={problem !== null || !dirty}>
          Save
        </button>
        <button type="button" class="button-secondary" disabled={problem !== null || check.state === 'checking'} onClick={() => void test()}>
          Test connection
        </button>
        <span class="muted" role="status" aria-live="polite">
          {saved && !dirty ? 'Saved.' : ''}
        </span>
      </div>
      <div class="connection" role="status" aria-live="polite">
        {check.state === 'checking' && <p class="muted">Checking…</p>}
        {check.state === 'ok' && (
          <>
            <p class="success-text">Connected as {check.usage.token_name}</p>
            <p class="muted">
              This month: {formatUsd(check.usage.cost_usd)}
              {check.usage.budget_usd !== null ? ` of ${formatUsd(check.usage.budget_usd)} budget` : ''} · {check.usage.images} {check.usage.images === 1 ? 'image' : 'images'}
            </p>
            {check.usage.budget_usd !== null && (
              <div class="meter" role="meter" aria-label="Monthly budget used" aria-valuemin={0} aria-valuemax={check.usage.budget_usd} aria-valuenow={check.usage.cost_usd}>
                <div class="meter-fill" style={{ width: `${Math.min(100, (check.usage.cost_usd / Math.max(check.usage.budget_usd, 1e-9)) * 100)}%` }} />
              </div>
            )}
          </>
        )}
        {check.state === 'error' && <p class="error-text">{check.message}</p>}
      </div>
    </form>
  );
}
