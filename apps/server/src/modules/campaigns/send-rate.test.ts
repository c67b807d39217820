import { describe, expect, it } from 'vitest';
import { secondsLeftAt, sendRate } from './send-rate.ts';

const at = (seconds: number) => Date.UTC(2026, 11, 7, 2, 0, 0) + seconds * 1000;

describe('sendRate', () => {
  it('after a resume, counts only what was sent since it, not the paused hour', () => {
    // 1,000 guests in the first 100 s, paused for an hour, resumed at 3,700 s; 500 more by 3,750 s. The whole send's
    // rate (1,500 over 3,750 s = 0.4/s) would put 1,000 queued guests at 42 minutes; since the resume it is 10/s.
    const rate = sendRate({ now: at(3750), sendingSince: at(3700), acceptedSince: 500, accepted: 1500, firstAcceptedAt: at(0), lastAcceptedAt: at(3750) });
    expect(rate).toBe(10);
    expect(secondsLeftAt(1000, rate)).toBe(100);
  });

  it('measures from the start, not from the first accepted batch, before any pause', () => {
    expect(sendRate({ now: at(30), sendingSince: at(0), acceptedSince: 300, accepted: 300, firstAcceptedAt: at(10), lastAcceptedAt: at(30) })).toBe(10);
  });

  it('says nothing (null) just after a resume, until a batch is accepted since it', () => {
    expect(sendRate({ now: at(3760), sendingSince: at(3700), acceptedSince: 0, accepted: 1000, firstAcceptedAt: at(0), lastAcceptedAt: at(100) })).toBeNull();
    expect(secondsLeftAt(1000, null)).toBeNull();
  });

  it('says nothing in the first 10 s after a start or resume, when one early batch would read as a burst', () => {
    // Two guests accepted 1 s after the resume; three more take 25 s: at 5 s a rate of 2 over 1 s would promise 1 s left.
    expect(sendRate({ now: at(3705), sendingSince: at(3700), acceptedSince: 2, accepted: 4, firstAcceptedAt: at(0), lastAcceptedAt: at(3701) })).toBeNull();
    expect(sendRate({ now: at(3710), sendingSince: at(3700), acceptedSince: 2, accepted: 4, firstAcceptedAt: at(0), lastAcceptedAt: at(3701) })).toBe(0.2);
  });

  it('measures up to the reading, so a send waiting on LINE slows down on screen instead of standing still', () => {
    const reading = (seconds: number) => sendRate({ now: at(seconds), sendingSince: at(0), acceptedSince: 300, accepted: 300, firstAcceptedAt: at(10), lastAcceptedAt: at(30) });
    expect([reading(30), reading(60)]).toEqual([10, 5]);
    expect(secondsLeftAt(100, reading(60))).toBe(20);
  });

  it('gives a finished send its whole rate, and none when everything was accepted at one instant', () => {
    expect(sendRate({ now: at(60), sendingSince: null, acceptedSince: 0, accepted: 1000, firstAcceptedAt: at(0), lastAcceptedAt: at(50) })).toBe(20);
    expect(sendRate({ now: at(60), sendingSince: null, acceptedSince: 0, accepted: 5, firstAcceptedAt: at(0), lastAcceptedAt: at(0) })).toBeNull();
    // Accepted within a second: no speed to speak of (7 guests 21 ms apart read 333 a second).
    expect(sendRate({ now: at(60), sendingSince: null, acceptedSince: 0, accepted: 7, firstAcceptedAt: at(0), lastAcceptedAt: at(0) + 21 })).toBeNull();
    expect(sendRate({ now: at(60), sendingSince: null, acceptedSince: 0, accepted: 7, firstAcceptedAt: at(0), lastAcceptedAt: at(0) + 999 })).toBeNull();
    expect(sendRate({ now: at(60), sendingSince: null, acceptedSince: 0, accepted: 100_000, firstAcceptedAt: at(0), lastAcceptedAt: at(1) })).toBe(100_000);
    expect(sendRate({ now: at(60), sendingSince: null, acceptedSince: 0, accepted: 0, firstAcceptedAt: null, lastAcceptedAt: null })).toBeNull();
  });

  it('gives a finished send that was paused the rate over the time it was sending, not over the pause', () => {
    // 500 guests in the first 50 s, paused for an hour, 500 more in the 50 s after the resume: 10/s, not 1,000 over
    // 3,700 s (0.27/s).
    const finished = (pausedSpans: Array<{ from: number; to: number | null }>) => sendRate({ now: at(4000), sendingSince: null, acceptedSince: 0, accepted: 1000, firstAcceptedAt: at(0), lastAcceptedAt: at(3700), pausedSpans });
    expect(finished([{ from: at(50), to: at(3650) }])).toBe(10);
    // A pause before the first guest was accepted, or two pauses, count only where they fall between the first and the last.
    expect(finished([{ from: at(-600), to: at(-60) }, { from: at(50), to: at(1850) }, { from: at(1850), to: at(3650) }])).toBe(10);
    expect(finished([{ from: at(-600), to: at(10) }, { from: at(50), to: at(3650) }])).toBeCloseTo(1000 / 90);
    // Paused now after its last accepted guest (cancelled from the pause, or still paused): the pause is after the send.
    expect(finished([{ from: at(3700), to: null }])).toBeCloseTo(1000 / 3700);
    // Without recorded pauses (a campaign paused before they were kept) the whole send's rate, as before.
    expect(finished([])).toBeCloseTo(1000 / 3700);
  });

  it('has no time left once nothing is queued, whatever the rate', () => {
    expect(secondsLeftAt(0, null)).toBe(0);
    expect(secondsLeftAt(7, 2)).toBe(4);
  });
});
