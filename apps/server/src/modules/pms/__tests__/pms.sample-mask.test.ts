import { describe, expect, it } from 'vitest';
import { maskCell, plainCell } from '../pms.generic.service.ts';

/** The mapping screen's sample: personal data masked; dates, times and counts also sent as typed (by their shape). */
describe('generic import sample cells', () => {
  it('masks IDs, phones and e-mail addresses, and sends none of them as typed', () => {
    for (const cell of ['A123456789', 'a123456789', 'Ａ１２３４５６７８９', '0912-345-678', '+886 912 345 678', '(02)2345-6789', 'xiaoming@example.com', 'HFD000000000310001']) {
      expect(maskCell(cell), cell).toContain('*');
      expect(plainCell(cell), cell).toBeNull();
    }
  });

  it('sends dates, date-times and counts as typed, so a column imported as a date shows its format', () => {
    for (const cell of ['2026-11-01', '2026/11/1', '2026.11.01', '20261101', '2026-11-01 14:02:11', '01/11/2026', '115/11/01', '2', '2人', '12']) {
      expect(plainCell(cell), cell).toBe(cell);
    }
    // The mask alone hid them (20******01): what the screen used to show for every date.
    expect(maskCell('20261101')).toBe('20****01');
  });

  it('a room type or a name, never masked, is the same both ways', () => {
    for (const cell of ['DXK', '雙人房', '王小明']) expect([maskCell(cell), plainCell(cell)]).toEqual([cell, cell]);
  });
});
