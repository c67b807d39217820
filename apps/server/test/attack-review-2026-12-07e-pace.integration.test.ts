import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.ts';
import { paceAt } from '../src/modules/line/index.ts';

/**
 * Attack review 2026-12-07e (atk6): LINE_PACE_PERCENT as an operator may mistype it. The server refuses to start on
 * anything that is not a share between 10 and 99 (naming the setting), and never paces at LINE's limit or above it.
 */
describe('LINE_PACE_PERCENT, mistyped', () => {
  it('holds: empty, blank, a percent sign, a comma, NaN, Infinity, negative, 99.5 and 100 are refused at boot, naming the setting', () => {
    for (const bad of ['', ' ', '97.5%', '97,5', 'NaN', 'Infinity', '-97.5', '9.9', '99.5', '100', '1e3', 'true']) {
      expect(() => loadConfig({ LINE_PACE_PERCENT: bad }), JSON.stringify(bad)).toThrow(/LINE_PACE_PERCENT/);
    }
  });

  it('holds: what is taken paces below LINE’s limits (spaces around, an exponent, the bounds)', () => {
    for (const [good, percent] of [[' 90 ', 90], ['9.5e1', 95], ['10', 10], ['99', 99]] as const) {
      const taken = loadConfig({ LINE_PACE_PERCENT: good }).line.pacePercent;
      expect(taken, good).toBe(percent);
      const pace = paceAt(taken);
      expect(pace.multicast.perSecond).toBeLessThan(200);
      expect(pace.push.perSecond).toBeLessThan(2000);
      expect(pace.multicast.burst).toBe(1);
    }
  });
});
