import { describe, expect, it } from 'vitest';
import { type DraftCondition, type SegmentDefinition, newCondition, toDefinition, toDraft, missingOf } from './segment-definition.ts';

const root = (...conditions: DraftCondition[]) => ({ key: 'root', type: 'group' as const, op: 'and' as const, negate: false, conditions });

describe('the stays condition’s children choice', () => {
  it('comes back as it was saved (the 家庭旅遊推播 template’s three ways in)', () => {
    const saved: SegmentDefinition = {
      type: 'group',
      op: 'or',
      conditions: [
        { type: 'stays', children: 'with', minCount: 1 },
        { type: 'stays', children: 'with', minChildren: 2, withinDays: 365, minCount: 1 },
        { type: 'stays', roomTypes: ['家庭房', '親子房'], children: 'unrecorded', minCount: 1 },
        { type: 'stays', children: 'without', minCount: 1 },
      ],
    };
    expect(toDefinition(toDraft(saved))).toEqual(saved);
  });

  it('sends "at least N children" only with "with children", and leaves out the default of one', () => {
    const stays = newCondition('stays');
    expect(missingOf(stays)).toBeUndefined();
    const sent = (change: Partial<Extract<DraftCondition, { type: 'stays' }>>) => toDefinition(root({ ...stays, ...change } as DraftCondition)).conditions[0];
    expect(sent({ children: 'with', minChildren: 3 })).toEqual({ type: 'stays', minCount: 1, children: 'with', minChildren: 3 });
    expect(sent({ children: 'with', minChildren: 1 })).toEqual({ type: 'stays', minCount: 1, children: 'with' });
    // Switched to another choice after typing a number: the number is not sent (the server would refuse it).
    expect(sent({ children: 'unrecorded', minChildren: 3 })).toEqual({ type: 'stays', minCount: 1, children: 'unrecorded' });
    expect(sent({})).toEqual({ type: 'stays', minCount: 1 });
  });
});
