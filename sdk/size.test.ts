import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleScript, COMPAT_BUDGET_GZIP, compressedSizes, SCRIPT_BUDGET_GZIP } from './bundle.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('the script-tag file', () => {
  it(`weighs at most ${SCRIPT_BUDGET_GZIP} bytes gzip -9, as built`, async () => {
    const { gzip } = compressedSizes(await bundleScript(root));
    expect(gzip).toBeLessThanOrEqual(SCRIPT_BUDGET_GZIP);
  });

  it('names its batch endpoint path once, as "/events", for the collector to rename', async () => {
    const script = await bundleScript(root);
    expect(script.split('"/events"')).toHaveLength(2);
  });

  it('is one expression with no global but window.footfall, no eval and no unload listener', async () => {
    const script = await bundleScript(root);
    expect(script).toMatch(/^\(\(\)=>\{.*\}\)\(\);$/s);
    expect(script).not.toMatch(/\beval\(|new Function|"unload"|document\.cookie/);
  });
});

describe("the script at Plausible's and Umami's paths", () => {
  it(`weighs at most ${COMPAT_BUDGET_GZIP} bytes gzip -9, names "/events" once, and adds no global but plausible and umami`, async () => {
    const script = await bundleScript(root, 'sdk/compat.ts');
    expect(compressedSizes(script).gzip).toBeLessThanOrEqual(COMPAT_BUDGET_GZIP);
    expect(script.split('"/events"')).toHaveLength(2);
    expect(script).toMatch(/^\(\(\)=>\{.*\}\)\(\);$/s);
    expect(script).not.toMatch(/\beval\(|new Function|"unload"|document\.cookie|window\.footfall/);
  });
});
