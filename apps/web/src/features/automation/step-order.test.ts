import { describe, expect, it } from 'vitest';
import { moveStep, removeStep } from './step-order.ts';

const send = { kind: 'send' };
const wait = { kind: 'wait' };
const ifClicked = (step: number) => ({ kind: 'if_clicked', step });

describe('"only tappers go on" follows the send step it names', () => {
  it('when a step before both moves: the reference moves with its send step', () => {
    // [wait, send, if_clicked(1)] → move the wait after the send: [send, wait, if_clicked(0)]
    expect(moveStep([wait, send, ifClicked(1)], 0, 1)).toEqual([send, wait, ifClicked(0)]);
  });

  it('when its send step is removed: the nearest earlier send step, else the first step', () => {
    expect(removeStep([send, wait, send, ifClicked(2)], 2)).toEqual([send, wait, ifClicked(0)]);
    expect(removeStep([send, ifClicked(0)], 0)).toEqual([ifClicked(0)]);
  });

  it('when a step before is removed: the same send step, one place up', () => {
    expect(removeStep([wait, send, ifClicked(1)], 0)).toEqual([send, ifClicked(0)]);
  });

  it('when it is moved above its send step: the nearest send step still before it', () => {
    expect(moveStep([send, wait, send, ifClicked(2)], 3, 1)).toEqual([send, ifClicked(0), wait, send]);
  });
});
