// Backend URL and access token (kept in the sandbox's clientStorage via save-settings), a
// connection test against GET /v1/usage and this month's spend. Saving checks the connection
// again, so what the tab says ("Connected as …" or the error) is about the settings saved.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { UsageSummary } from '../../backend/contract';
import { BackendClient } from '../lib/backend-client';
import { describeError } from '../lib/error-messages';
import { formatUsd } from '../lib/format';
import { usePanel } from '../model/panel-context';
import { normalizeBackendUrl, urlProblem } from '../settings';

type Check = { state: 'idle' } | { state: 'checking' } | { state: 'ok'; usage: UsageSummary } | { state: 'error'; message: string };

/** GET /v1/usage with these settings: the connection test, and this month's spend. */
async function checkConnection(backendUrl: string, accessToken: string): Promise<Check> {
  try {
    const usage = await new BackendClient({ backendUrl: normalizeBackendUrl(backendUrl), accessToken: accessToken.trim() }).usage();
    return { state: 'ok', usage };
  } catch (error) {
    return { state: 'error', message: describeError(error, 'settings').message };
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
  const normalized = normalizeBackendUrl(url);
  const dirty = normalized !== backendUrl || token.trim() !== accessToken;

  // Only the latest check is shown: a slow answer about settings since replaced is dropped.
  const checks = useRef(0);
  const runCheck = useCallback(async (u: string, t: string) => {
    if (urlProblem(u)) return;
    const mine = ++checks.current;
    setCheck({ state: 'checking' });
    const outcome = await checkConnection(u, t);
    if (mine === checks.current) setCheck(outcome);
  }, []);
  const test = () => runCheck(url, token);

  // Month-to-date spend when the tab opens with a saved token (the settings it opened with).
  const opened = useRef({ backendUrl, accessToken });
  useEffect(() => {
    const { backendUrl: u, accessToken: t } = opened.current;
    if (!t) return;
    void runCheck(u, t);
  }, [runCheck]);

  const save = (event: Event) => {
    event.preventDefault();
    if (problem) return;
    panel.saveConnection(normalized, token.trim());
    setUrl(normalized);
    setSaved(true);
    void runCheck(normalized, token.trim());
  };
  /** what the tab says is about the saved settings: an edit makes it stale until saved or tested */
  const edited = () => {
    setSaved(false);
    checks.current++;
    setCheck({ state: 'idle' });
  };

  const tokenProps = {
    id: 'access-token',
    class: 'input',
    value: token,
    spellcheck: false,
    autoComplete: 'off',
    onInput: (e: Event) => {
      setToken((e.currentTarget as HTMLInputElement).value);
      edited();
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
          onInput={(e) => { setUrl((e.currentTarget as HTMLInputElement).value); edited(); }}
        />
        <p id="backend-url-help" class={problem ? 'field-error' : 'muted'}>
          {problem ??
            (normalized !== url.trim()
              ? `Connects to ${normalized} — localhost gets http://, any other address https://.`
              : "Your team's Framefill backend. It holds the OpenAI key; this panel never sees it.")}
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
      <ConfirmThreshold />
    </form>
  );
}

/** (issue 14) Runs estimated above this ask once before they start; saved as soon as it is valid. */
function ConfirmThreshold() {
  const panel = usePanel();
  const stored = panel.settings.value.confirmAboveUsd;
  const [value, setValue] = useState(stored.toFixed(2));
  // A stored value arriving (init) shows; one the user is typing towards ("2" on the way to "25") isn't rewritten.
  useEffect(() => setValue((typed) => (Number(typed) === stored && typed.trim() !== '' ? typed : stored.toFixed(2))), [stored]);
  const amount = Number(value);
  const problem = value.trim() === '' || !Number.isFinite(amount) || amount < 0 || amount > 1000 ? 'Enter an amount from 0 to 1000 dollars.' : null;
  return (
    <div class="field">
      <label class="label" for="confirm-above">
        Ask before runs over ($)
      </label>
      <input
        id="confirm-above"
        class="input input-amount"
        type="number"
        inputMode="decimal"
        min={0}
        max={1000}
        step={0.5}
        value={value}
        aria-invalid={problem ? true : undefined}
        aria-describedby="confirm-above-help"
        // Its own setting: Enter here must not submit the connection form.
        onKeyDown={(e) => e.key === 'Enter' && e.preventDefault()}
        onInput={(e) => {
          const next = (e.currentTarget as HTMLInputElement).value;
          setValue(next);
          const n = Number(next);
          if (next.trim() !== '' && Number.isFinite(n) && n >= 0 && n <= 1000) panel.choose({ confirmAboveUsd: Math.round(n * 100) / 100 });
        }}
      />
      <p id="confirm-above-help" class={problem ? 'field-error' : 'muted'}>
        {problem ?? 'A run estimated above this asks once before it starts. 0 asks every time.'}
      </p>
    </div>
  );
}
