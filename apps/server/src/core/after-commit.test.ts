import { describe, expect, it } from 'vitest';
import { runAfterCommit } from './after-commit.ts';
import { AppError } from './errors.ts';

describe('runAfterCommit', () => {
  it('runs every task in order, then hands the caller the first coded failure', async () => {
    const ran: string[] = [];
    const tasks = [
      async () => void ran.push('a'),
      async () => {
        ran.push('b');
        throw new AppError('auth.mail_failed');
      },
      async () => void ran.push('c'),
    ];
    await expect(runAfterCommit(tasks)).rejects.toMatchObject({ code: 'auth.mail_failed' });
    expect(ran).toEqual(['a', 'b', 'c']);
  });

  it('reports other failures where the caller says, and throws them where it has no such place', async () => {
    const boom = new Error('boom');
    const reported: unknown[] = [];
    await runAfterCommit([async () => Promise.reject(boom)], (error) => reported.push(error));
    expect(reported).toEqual([boom]);
    await expect(runAfterCommit([async () => Promise.reject(boom)])).rejects.toBe(boom);
  });
});
