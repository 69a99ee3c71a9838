import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, prefillChanges, withDefaults } from './settings';

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
});
