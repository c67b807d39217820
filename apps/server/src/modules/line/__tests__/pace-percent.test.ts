import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/config.ts';
import { DEFAULT_PACE, LINE_RATE_LIMITS, paceAt } from '../send-pacing.ts';

describe('the share of LINE’s rate limits sends are paced at (LINE_PACE_PERCENT)', () => {
  it('is 97.5 % unless configured, the same figure the pacing uses by default', () => {
    expect(loadConfig({}).line.pacePercent).toBe(97.5);
    expect(DEFAULT_PACE).toEqual(paceAt(97.5));
    expect(paceAt(97.5)).toEqual({ multicast: { perSecond: 195, burst: 1 }, push: { perSecond: 1950, burst: 1 } });
  });

  it('takes a lower share for a channel LINE refuses at the default, and never the limit itself or more', () => {
    expect(loadConfig({ LINE_PACE_PERCENT: '90' }).line.pacePercent).toBe(90);
    expect(paceAt(90).multicast.perSecond).toBe(LINE_RATE_LIMITS.multicast * 0.9);
    for (const bad of ['100', '150', '0', 'fast']) expect(() => loadConfig({ LINE_PACE_PERCENT: bad }), bad).toThrow(/LINE_PACE_PERCENT/);
  });
});
