import { Feed } from './feed.ts';
import { type DataSet, type GenerateOptions, generateDataSet, makeProfile, makeStay, newPerson, DIALECT_CODES } from './generate.ts';
import { taiwanMobile } from './identifiers.ts';
import { formatLocal, formatLocalDate } from './time.ts';
import type { GuestRow, Person, StayRow } from './types.ts';

/**
 * The simulator's live data: the generated set in two feeds (profiles, stays) plus a change stream that moves the
 * clock and edits rows the way a hotel's day does, each change bumping UPD_DAT. Some changes share one second, and
 * some commit up to 90 s after their UPD_DAT, so a reader without cursor overlap misses them.
 */
export type ChangeKind = 'phone_change' | 'dm_opt_out' | 'email_change' | 'new_duplicate' | 'new_person' | 'stay_new' | 'stay_progress' | 'merge' | 'delete';
export type Change = { kind: ChangeKind; at: string; key: string };

export type Store = ReturnType<typeof createStore>;

export type StoreOptions = GenerateOptions & {
  /** Changes per simulated hour (default 40). */
  changesPerHour?: number;
  /** Share of changes committed 30–90 s after their UPD_DAT (default 5%). */
  lateCommitRate?: number;
  /** Share of changes stamped with the previous change's second (default 10%). */
  sameSecondRate?: number;
};

const CHANGE_WEIGHTS: ReadonlyArray<readonly [ChangeKind, number]> = [
  ['phone_change', 10],
  ['dm_opt_out', 12],
  ['email_change', 12],
  ['new_duplicate', 12],
  ['new_person', 10],
  ['stay_new', 18],
  ['stay_progress', 16],
  ['merge', 5],
  ['delete', 5],
];

export function createStore(options: StoreOptions = {}) {
  const data: DataSet & { generator: ReturnType<typeof generateDataSet>['generator'] } = generateDataSet(options);
  const gen = data.generator;
  const rng = gen.rng.fork('changes');
  gen.rng = rng;
  const guests = new Feed<GuestRow>((r) => r.GCUST_COD);
  const stays = new Feed<StayRow>((r) => r.STAY_KEY);
  for (const row of data.profiles) guests.upsert(row);
  const staysByGuest = new Map<string, StayRow[]>();
  const indexStay = (row: StayRow) => {
    const list = staysByGuest.get(row.GCUST_COD);
    if (list) list.push(row);
    else staysByGuest.set(row.GCUST_COD, [row]);
  };
  for (const row of data.stays) {
    stays.upsert(row);
    indexStay(row);
  }
  const changesPerHour = options.changesPerHour ?? 40;
  const lateRate = options.lateCommitRate ?? 0.05;
  const sameSecondRate = options.sameSecondRate ?? 0.1;
  const log: Change[] = [];
  let now = data.now;

  const personIds = [...gen.profilesByPerson.keys()];
  const profilesOf = (personId: string) => (gen.profilesByPerson.get(personId) ?? []).map((k) => guests.rows.get(k)!).filter((r) => r.CO_DEL_STA !== 'Y');

  function touch<T extends { UPD_DAT: string }>(feed: Feed<T>, row: T, at: number): void {
    row.UPD_DAT = formatLocal(at);
    feed.upsert(row, rng.chance(lateRate) ? at + rng.range(30, 90) * 1000 : at);
  }

  function apply(kind: ChangeKind, at: number): Change | null {
    gen.now = at;
    const personId = rng.pick(personIds);
    const person = gen.personsById.get(personId)!;
    const rows = profilesOf(personId);
    const row = rows.length > 0 ? rng.pick(rows) : null;
    switch (kind) {
      case 'phone_change': {
        if (!row || !person.mobile?.startsWith('+886')) return null;
        person.oldMobile = person.mobile;
        person.mobile = `+886${taiwanMobile(rng, gen.taken.phones)}`;
        person.mobileChangedAt = at;
        const text = `0${person.mobile.slice(4)}`;
        if (data.dialect === 'BACCHUS') row.MOBILE_NOS = text;
        else {
          row.CONTACT1_COD = '01';
          row.CONTACT1_RMK = text;
        }
        const truth = data.truth.profiles.get(row.GCUST_COD)!;
        truth.keys.mobiles = [person.mobile];
        touch(guests, row, at);
        return { kind, at: row.UPD_DAT, key: row.GCUST_COD };
      }
      case 'dm_opt_out':
        if (!row) return null;
        row.DM_FLAG = 'N';
        touch(guests, row, at);
        return { kind, at: row.UPD_DAT, key: row.GCUST_COD };
      case 'email_change':
        if (!row) return null;
        row.E_MAIL = `${person.latin.last.toLowerCase()}${rng.digits(4)}@gmail.com`;
        touch(guests, row, at);
        return { kind, at: row.UPD_DAT, key: row.GCUST_COD };
      case 'new_duplicate':
      case 'new_person': {
        const target: Person = kind === 'new_person' ? newPerson(gen, `P${String(gen.personsById.size + 1).padStart(7, '0')}`, { stayer: true }) : person;
        if (kind === 'new_person') {
          gen.personsById.set(target.personId, target);
          personIds.push(target.personId);
        }
        const { row: created, truth } = makeProfile(gen, target, null, gen.hubs, at, null);
        created.INS_DAT = formatLocal(at);
        data.truth.profiles.set(created.GCUST_COD, truth);
        gen.profilesByPerson.set(target.personId, [...(gen.profilesByPerson.get(target.personId) ?? []), created.GCUST_COD]);
        touch(guests, created, at);
        const stay = makeStay(gen, created.GCUST_COD, 'in_house', at);
        indexStay(stay);
        touch(stays, stay, at);
        return { kind, at: created.UPD_DAT, key: created.GCUST_COD };
      }
      case 'stay_new': {
        if (!row) return null;
        const stay = makeStay(gen, row.GCUST_COD, 'reserved', at);
        indexStay(stay);
        touch(stays, stay, at);
        return { kind, at: stay.UPD_DAT, key: stay.STAY_KEY };
      }
      case 'stay_progress': {
        const codes = DIALECT_CODES[data.dialect];
        const candidates = rows.flatMap((r) => (staysByGuest.get(r.GCUST_COD) ?? []).filter((s) => s.DEL_FLAG === 'N' && (codes.reserved.order.includes(s.ORDER_STA) || s.ORDER_STA === 'I')));
        if (candidates.length === 0) return null;
        const stay = rng.pick(candidates);
        const next = stay.ORDER_STA === 'I' ? 'checked_out' : rng.chance(0.85) ? 'in_house' : 'cancelled';
        stay.ORDER_STA = rng.pick(codes[next].order);
        stay.GUEST_STA = codes[next].guest;
        if (next === 'in_house') {
          stay.CI_DAT = formatLocalDate(at);
          stay.ACI_DAT = formatLocal(at);
        }
        if (next === 'checked_out') stay.ACO_DAT = formatLocal(at);
        touch(stays, stay, at);
        return { kind, at: stay.UPD_DAT, key: stay.STAY_KEY };
      }
      case 'merge': {
        if (rows.length < 2) return null;
        const [survivor, merged] = rows;
        merged!.MCUST_COD = survivor!.GCUST_COD;
        touch(guests, merged!, at);
        touch(guests, survivor!, at);
        return { kind, at: merged!.UPD_DAT, key: merged!.GCUST_COD };
      }
      case 'delete':
        if (!row || rows.length < 2) return null;
        row.CO_DEL_STA = 'Y';
        touch(guests, row, at);
        return { kind, at: row.UPD_DAT, key: row.GCUST_COD };
    }
  }

  /** Move the clock forward by `ms`, applying the changes that fall in that window; returns them. */
  function advance(ms: number): Change[] {
    const start = now;
    const end = now + ms;
    const expected = (changesPerHour * ms) / 3_600_000;
    const count = Math.floor(expected) + (rng.chance(expected - Math.floor(expected)) ? 1 : 0);
    const times = Array.from({ length: count }, () => start + 1000 + rng.int(Math.max(1, ms - 1000))).sort((a, b) => a - b);
    const applied: Change[] = [];
    for (let i = 0; i < times.length; i++) {
      const at = i > 0 && rng.chance(sameSecondRate) ? times[i - 1]! : times[i]!;
      const change = apply(rng.weighted(CHANGE_WEIGHTS), Math.floor(at / 1000) * 1000);
      if (change) applied.push(change);
    }
    now = end;
    gen.now = end;
    log.push(...applied);
    return applied;
  }

  return {
    data,
    guests,
    stays,
    log,
    now: () => now,
    advance,
  };
}
