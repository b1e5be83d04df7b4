// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { applyShareMode, readShareMode, shareKeyStore, shareSecret, viewAddress } from './share-mode.ts';

describe('share mode', () => {
  it('reads the share the page was served for, and keeps the token (with the password once given) as the credential', () => {
    document.head.innerHTML = '<meta name="footfall-share" content="shop" data-password="true">';
    document.body.innerHTML = '<button id="use-key"></button><label><select id="site-select"></select></label>';
    window.history.replaceState(null, '', '/share/ffs_0123456789ab_token?embed');
    const share = readShareMode(document)!;
    expect(share).toEqual({
      site: 'shop',
      token: 'ffs_0123456789ab_token',
      needsPassword: true,
      embed: true,
      base: '/share/ffs_0123456789ab_token',
    });
    const keys = shareKeyStore(share);
    expect(keys.get()).toBe(share.token);
    keys.set('pässword');
    expect(keys.get()).toBe(`${share.token}.${Buffer.from('pässword').toString('base64url')}`);
    expect(shareSecret('t', '??>>')).toBe(`t.${Buffer.from('??>>').toString('base64url')}`);
    applyShareMode(document, share);
    expect(document.body.classList.contains('is-embed')).toBe(true);
    expect(document.getElementById('use-key')!.hidden).toBe(true);
    expect(document.getElementById('site-select')!.closest('label')!.hidden).toBe(true);
  });

  it("writes every view's address on the share, keeping an embed's layout for reloads", () => {
    document.head.innerHTML = '<meta name="footfall-share" content="shop" data-password="false">';
    window.history.replaceState(null, '', '/share/ffs_0123456789ab_token?embed');
    const embedded = readShareMode(document)!;
    expect(viewAddress(embedded, '?site=shop&period=7d')).toBe('/share/ffs_0123456789ab_token?site=shop&period=7d&embed');
    expect(viewAddress(embedded, '')).toBe('/share/ffs_0123456789ab_token?embed');
    // What the address says is read again as the same share, still embedded.
    window.history.replaceState(null, '', viewAddress(embedded, '?site=shop&period=7d'));
    expect(readShareMode(document)).toEqual(embedded);
    const full = { ...embedded, embed: false };
    expect(viewAddress(full, '?site=shop')).toBe('/share/ffs_0123456789ab_token?site=shop');
    expect(viewAddress(null, '?site=shop')).toBe('/dashboard?site=shop');
  });

  it('is off on the dashboard itself', () => {
    document.head.innerHTML = '';
    window.history.replaceState(null, '', '/dashboard?site=shop');
    expect(readShareMode(document)).toBeNull();
  });
});
