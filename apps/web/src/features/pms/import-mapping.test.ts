import { describe, expect, it } from 'vitest';
import { choicesOf, mappingOf, PLAIN_FIELDS, problemsOf, sameMapping, sampleCell, usableColumn } from './import-mapping.ts';

const columns = ['客戶編號', '姓名', '手機', '入住日', '退房日', '', '備註', '備註'];

describe('the generic import’s column mapping', () => {
  it('turns a suggested or saved mapping into per-column choices, and tells which columns the file lacks', () => {
    const { choices, notInFile } = choicesOf({ guestKey: '客戶編號', fullName: '姓名', mobile: '手機', email: 'Email', roomType: '備註' }, columns);
    expect(choices).toEqual({ 0: 'guestKey', 1: 'fullName', 2: 'mobile' });
    // A repeated header cannot be named by the server: the saved mapping's column is not taken.
    expect(notInFile).toEqual(['Email', '備註']);
    expect(mappingOf(choices, columns)).toEqual({ guestKey: '客戶編號', fullName: '姓名', mobile: '手機' });
  });

  it('offers neither an empty nor a repeated header', () => {
    expect([0, 5, 6, 7].map((i) => usableColumn(columns, i))).toEqual([true, false, false, false]);
  });

  it('finds a required field left out, a field chosen for two columns and half of the stay dates', () => {
    expect(problemsOf({ 1: 'fullName', 2: 'mobile', 3: 'mobile', 4: 'checkOut' }, columns)).toEqual([
      { kind: 'required', field: 'guestKey' },
      { kind: 'twice', field: 'mobile', columns: ['手機', '入住日'] },
      { kind: 'paired', field: 'checkOut', missing: 'checkIn' },
    ]);
    expect(problemsOf({ 0: 'guestKey', 3: 'checkIn', 4: 'checkOut' }, columns)).toEqual([]);
  });

  it('compares mappings field by field', () => {
    expect(sameMapping({ guestKey: 'A', mobile: 'B' }, { mobile: 'B', guestKey: 'A' })).toBe(true);
    expect(sameMapping({ guestKey: 'A' }, { guestKey: 'A', mobile: 'B' })).toBe(false);
  });
});

describe('sample cells by the field chosen', () => {
  it('shows the cell as typed only for a field that is not personal data, and only where the server sent it', () => {
    expect(sampleCell('20****01', '20261101', 'checkIn')).toBe('20261101');
    expect(sampleCell('20****01', '20261101', 'birthDate')).toBe('20261101');
    expect(sampleCell('20****01', '20261101', 'idNumber')).toBe('20****01');
    expect(sampleCell('20****01', '20261101', undefined)).toBe('20****01');
    // An ID column imported as a date: the server sent no plain value, so it stays masked.
    expect(sampleCell('A1******89', null, 'checkIn')).toBe('A1******89');
    for (const field of ['guestKey', 'mobile', 'phone', 'email', 'idNumber', 'fullName'] as const) expect(PLAIN_FIELDS.has(field)).toBe(false);
  });
});

describe('a guest number made from the ID or mobile', () => {
  const front = ['姓名', '手機', '身分證', '入住日', '退房日'];
  it('sends 住客編號 naming the ID column (else the mobile column), the ID and mobile still imported as such', () => {
    const choices = { 0: 'fullName', 1: 'mobile', 2: 'idNumber' } as const;
    expect(problemsOf(choices, front)).toEqual([{ kind: 'required', field: 'guestKey' }]);
    expect(problemsOf(choices, front, true)).toEqual([]);
    expect(mappingOf(choices, front, true)).toEqual({ fullName: '姓名', mobile: '手機', idNumber: '身分證', guestKey: '身分證' });
    expect(mappingOf({ 0: 'fullName', 1: 'mobile' }, front, true)).toEqual({ fullName: '姓名', mobile: '手機', guestKey: '手機' });
    expect(problemsOf({ 0: 'fullName' }, front, true)).toEqual([{ kind: 'deriveNeeds' }]);
  });

  it('a saved mapping made so is read back as such (the ID column keeps its own field)', () => {
    const { choices, deriveKey } = choicesOf({ guestKey: '身分證', idNumber: '身分證', mobile: '手機' }, front);
    expect([choices, deriveKey]).toEqual([{ 1: 'mobile', 2: 'idNumber' }, true]);
    expect(choicesOf({ guestKey: '身分證', fullName: '姓名' }, front).deriveKey).toBe(false);
  });
});
