import { describe, expect, it } from 'vitest';
import { sendProgressBar } from './send-progress.ts';

describe('sendProgressBar', () => {
  it('does not claim a cancelled send was completed: its unsent guests stay in what it set out to send', () => {
    expect(sendProgressBar({ accepted: 0, queued: 0, failed: 0, cancelled: 7 })).toEqual({ percent: 0, sent: 0, of: 7 });
    expect(sendProgressBar({ accepted: 3, queued: 0, failed: 0, cancelled: 4 })).toEqual({ percent: 42, sent: 3, of: 7 });
  });

  it('fills only with what LINE accepted: 99.9 % is not shown as 100', () => {
    expect(sendProgressBar({ accepted: 999, queued: 1, failed: 0, cancelled: 0 }).percent).toBe(99);
    expect(sendProgressBar({ accepted: 500, queued: 0, failed: 0, cancelled: 0 })).toEqual({ percent: 100, sent: 500, of: 500 });
    expect(sendProgressBar({ accepted: 90, queued: 0, failed: 10, cancelled: 0 }).percent).toBe(90);
  });

  it('is full when every guest was skipped (nothing was to be sent)', () => {
    expect(sendProgressBar({ accepted: 0, queued: 0, failed: 0, cancelled: 0 })).toEqual({ percent: 100, sent: 0, of: 0 });
  });
});
