import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, normalizeBackendUrl, prefillChanges, urlProblem, withDefaults } from './settings';

describe('settings', () => {
  it('falls back to the build backend when none is stored', () => {
    expect(withDefaults({ ...DEFAULT_SETTINGS, backendUrl: '  ' }).backendUrl).toBe('http://localhost:8787');
    expect(withDefaults({ ...DEFAULT_SETTINGS, backendUrl: 'https://a.test' }).backendUrl).toBe('https://a.test');
  });

  it('maps a prefill size by mode name or as an exact custom size', () => {
    expect(prefillChanges({ tier: 'high', size: '16:9' })).toEqual({ tier: 'high', sizeMode: '16:9' });
    expect(prefillChanges({ size: '1536x1024' })).toEqual({ sizeMode: 'custom', customWidth: 1536, customHeight: 1024 });
    expect(prefillChanges({ size: 'nonsense' })).toEqual({});
    expect(prefillChanges({})).toEqual({});
  });

  it('understands a backend address typed without a scheme: http for this machine, https elsewhere', () => {
    expect(normalizeBackendUrl('localhost:8787')).toBe('http://localhost:8787');
    expect(normalizeBackendUrl(' 127.0.0.1:8787/ ')).toBe('http://127.0.0.1:8787/');
    expect(normalizeBackendUrl('[::1]:8787')).toBe('http://[::1]:8787');
    expect(normalizeBackendUrl('framefill.acme.test')).toBe('https://framefill.acme.test');
    expect(normalizeBackendUrl('localhost.acme.test')).toBe('https://localhost.acme.test');
    expect(normalizeBackendUrl('https://ff.test')).toBe('https://ff.test');
    expect(normalizeBackendUrl('http://ff.test')).toBe('http://ff.test'); // kept, and refused below
    expect(urlProblem('localhost:8787')).toBeNull();
    expect(urlProblem('http://ff.test')).toMatch(/https/);
    expect(urlProblem('https://')).toMatch(/backend address/);
    expect(withDefaults({ ...DEFAULT_SETTINGS, backendUrl: 'localhost:9000' }).backendUrl).toBe('http://localhost:9000');
  });
});
