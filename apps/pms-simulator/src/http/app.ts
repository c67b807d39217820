import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { DIALECT_CODES, ROOM_TYPES } from '../data/generate.ts';
import type { Feed } from '../data/feed.ts';
import type { Rng } from '../data/random.ts';
import type { Store } from '../data/store.ts';
import { formatLocal, parseLocal } from '../data/time.ts';
import type { GuestRow, StayRow } from '../data/types.ts';
import { drawFault, type FaultState } from './faults.ts';

/** docs/pms-dean-contract.md, served from the simulator's store. */
export type ApiKeyGrant = { hotels?: string[] };
export type AppContext = {
  store: Store;
  rng: Rng;
  faults: FaultState;
  apiKeys: Record<string, ApiKeyGrant>;
  writable: string[];
  logger: boolean;
  sleep: (ms: number) => Promise<void>;
  /** Idempotency-Key → the first answer (contract §6). */
  idempotency: Map<string, { status: number; body: unknown }>;
  requests: number;
};

class ContractError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}

const PREFIX = '/dean/v1';
const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 500;

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function authenticate(ctx: AppContext, req: FastifyRequest): ApiKeyGrant & { hotel: string | null } {
  const given = req.headers['x-api-key'];
  const key = typeof given === 'string' ? given : '';
  const grant = Object.entries(ctx.apiKeys).find(([k]) => timingSafeEqual(digest(k), digest(key)))?.[1];
  if (!key || !grant) throw new ContractError(401, 'unauthorized', 'Missing or wrong X-Api-Key.');
  const hotelHeader = req.headers['x-hotel-cod'];
  const hotel = typeof hotelHeader === 'string' && hotelHeader.trim() !== '' ? hotelHeader.trim() : null;
  if (hotel && (!ctx.store.data.hotels.includes(hotel) || (grant.hotels && !grant.hotels.includes(hotel)))) {
    throw new ContractError(403, 'forbidden_hotel', `This key does not cover HOTEL_COD ${hotel}.`);
  }
  return { ...grant, hotel };
}

type Cursor = { s: string | null; u: string; k: string };

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if ((c.s === null || typeof c.s === 'string') && typeof c.u === 'string' && typeof c.k === 'string') return c;
  } catch {
    // fall through
  }
  throw new ContractError(400, 'invalid_parameter', 'cursor is not one this server issued.', { parameter: 'cursor' });
}

function listQuery(query: Record<string, unknown>): { since: string | null; cursor: Cursor | null; limit: number } {
  const since = typeof query['since'] === 'string' && query['since'] !== '' ? query['since'] : null;
  if (since !== null && Number.isNaN(parseLocal(since))) throw new ContractError(400, 'invalid_parameter', 'since must be YYYY-MM-DD HH:mm:ss (Asia/Taipei).', { parameter: 'since' });
  const limitText = query['limit'];
  const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new ContractError(400, 'invalid_parameter', `limit must be 1–${MAX_LIMIT}.`, { parameter: 'limit' });
  const cursor = typeof query['cursor'] === 'string' && query['cursor'] !== '' ? decodeCursor(query['cursor']) : null;
  // A cursor belongs to one walk: the same `since` must come with it.
  if (cursor && cursor.s !== since) throw new ContractError(410, 'cursor_expired', 'The cursor belongs to another since; restart the walk.');
  return { since, cursor, limit };
}

/** Columns a profile row sends (sensitive free text is never part of the store). */
function guestView(row: GuestRow): GuestRow {
  return { ...row };
}

export function createApp(ctx: AppContext): FastifyInstance {
  const app = Fastify({ logger: ctx.logger });
  const { store } = ctx;

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof ContractError) {
      for (const [h, v] of Object.entries(err.headers)) reply.header(h, v);
      return reply.code(err.status).send({ error: { code: err.code, message: err.message, details: err.details } });
    }
    const e = err as { statusCode?: number; message?: string };
    if (e.statusCode && e.statusCode < 500) return reply.code(400).send({ error: { code: 'invalid_parameter', message: e.message ?? 'bad request', details: {} } });
    return reply.code(500).send({ error: { code: 'internal', message: 'Internal error.', details: {} } });
  });

  /** Auth, then faults; returns null when the fault already answered (or hung up). */
  async function enter(req: FastifyRequest, reply: FastifyReply, endpoint: string, isList: boolean) {
    ctx.requests++;
    const grant = authenticate(ctx, req);
    if (ctx.faults.config.latencyMs > 0) await ctx.sleep(ctx.faults.config.latencyMs);
    const fault = drawFault(ctx.faults, ctx.rng, endpoint, isList);
    if (fault) ctx.faults.counters[fault]++;
    if (fault === 'error') throw new ContractError(500, 'internal', 'Injected internal error.');
    if (fault === 'unavailable') throw new ContractError(503, 'unavailable', 'Database unavailable.', {}, { 'retry-after': '5' });
    if (fault === 'rate_limited') throw new ContractError(429, 'rate_limited', 'Too many requests.', {}, { 'retry-after': '1' });
    if (fault === 'timeout') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ctx.faults.config.hangMs);
        req.raw.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        reply.raw.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      reply.hijack();
      req.raw.socket.destroy();
      return null;
    }
    return { grant, fault };
  }

  function sendTruncated(reply: FastifyReply, body: unknown): void {
    const text = JSON.stringify(body);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
    raw.write(text.slice(0, Math.floor(text.length / 2)));
    raw.socket?.destroy();
  }

  function list<T extends { UPD_DAT: string }>(feed: Feed<T>, keyOf: (row: T) => string, filter: (row: T, hotel: string | null) => boolean) {
    return async (req: FastifyRequest, reply: FastifyReply) => {
      const entered = await enter(req, reply, `GET ${req.routeOptions.url}`, true);
      if (!entered) return reply;
      const { since, cursor, limit } = listQuery(req.query as Record<string, unknown>);
      let asked = limit;
      if (entered.fault === 'partial') asked = Math.max(1, Math.floor(limit * ctx.rng.float() * 0.8));
      const after = cursor ? { upd: cursor.u, key: cursor.k } : null;
      const page = feed.page(since, after, asked, store.now());
      const partialCut = entered.fault === 'partial' && page.rows.length === asked && asked < limit;
      const last = page.rows.at(-1);
      const hasMore = page.hasMore || partialCut;
      const body = {
        data: page.rows.filter((r) => filter(r, entered.grant.hotel)),
        page: { nextCursor: hasMore && last ? encodeCursor({ s: since, u: last.UPD_DAT, k: keyOf(last) }) : hasMore && cursor ? encodeCursor(cursor) : null, hasMore },
        watermark: last?.UPD_DAT ?? cursor?.u ?? since,
      };
      if (entered.fault === 'truncated') return sendTruncated(reply, body);
      return reply.send(body);
    };
  }

  app.get(`${PREFIX}/health`, async (req, reply) => {
    const entered = await enter(req, reply, 'GET /dean/v1/health', false);
    if (!entered) return reply;
    const body = {
      status: 'ok',
      contractVersion: '1',
      serverTime: formatLocal(store.now()),
      hotels: store.data.hotels.filter((h) => !entered.grant.hotels || entered.grant.hotels.includes(h)).map((h) => ({ HOTEL_COD: h, HOTEL_NAM: h === '01' ? '日月潭湖畔渡假飯店' : `分館 ${h}` })),
      writable: ctx.writable,
      statusDialect: store.data.dialect,
    };
    if (entered.fault === 'truncated') return sendTruncated(reply, body);
    return body;
  });

  app.get(`${PREFIX}/code-tables`, async (req, reply) => {
    const entered = await enter(req, reply, 'GET /dean/v1/code-tables', false);
    if (!entered) return reply;
    const codes = DIALECT_CODES[store.data.dialect];
    const orderSta: Record<string, string> = {};
    const guestSta: Record<string, string> = {};
    for (const [meaning, c] of Object.entries(codes)) {
      for (const code of c.order) orderSta[code] ??= meaning;
      if (c.guest) guestSta[c.guest] ??= meaning;
    }
    return { ORDER_STA: orderSta, GUEST_STA: guestSta, CONTACT_COD: { '01': 'mobile', '02': 'home', '03': 'office', '04': 'fax', '05': 'other' }, ROOM_COD: ROOM_TYPES };
  });

  app.get(`${PREFIX}/guests`, list<GuestRow>(store.guests, (r) => r.GCUST_COD, () => true));
  app.get(
    `${PREFIX}/stays`,
    list<StayRow>(store.stays, (r) => r.STAY_KEY, (r, hotel) => hotel === null || r.HOTEL_COD === hotel),
  );

  app.get(`${PREFIX}/guests/:gcust`, async (req, reply) => {
    const entered = await enter(req, reply, 'GET /dean/v1/guests/:gcust', false);
    if (!entered) return reply;
    const { gcust } = req.params as { gcust: string };
    const row = store.guests.get(gcust.trim(), store.now());
    if (!row) throw new ContractError(404, 'not_found', `No profile ${gcust}.`);
    return guestView(row);
  });

  app.patch(`${PREFIX}/guests/:gcust`, async (req, reply) => {
    const entered = await enter(req, reply, 'PATCH /dean/v1/guests/:gcust', false);
    if (!entered) return reply;
    if (ctx.writable.length === 0) throw new ContractError(501, 'writes_disabled', 'This installation is read-only.');
    const idemHeader = req.headers['idempotency-key'];
    const idem = typeof idemHeader === 'string' && idemHeader.length >= 8 ? idemHeader : null;
    if (!idem) throw new ContractError(400, 'invalid_parameter', 'Idempotency-Key (8+ characters) is required.', { parameter: 'Idempotency-Key' });
    const seen = ctx.idempotency.get(idem);
    if (seen) return reply.code(seen.status).send(seen.body);

    const body = req.body as { baseUpdDat?: unknown; set?: unknown } | undefined;
    const set = body?.set;
    if (!body || typeof body.baseUpdDat !== 'string' || !set || typeof set !== 'object' || Array.isArray(set)) {
      throw new ContractError(400, 'invalid_parameter', 'Body must be { baseUpdDat, set }.');
    }
    const changes = Object.entries(set as Record<string, unknown>);
    const bad = changes.find(([k, v]) => !ctx.writable.includes(k) || (v !== null && typeof v !== 'string'));
    if (changes.length === 0 || bad) throw new ContractError(400, 'invalid_parameter', bad ? `${bad[0]} is not writable or not a string.` : 'set is empty.', { parameter: bad?.[0] ?? 'set' });

    const { gcust } = req.params as { gcust: string };
    const row = store.guests.get(gcust.trim(), store.now());
    if (!row || row.CO_DEL_STA === 'Y') throw new ContractError(404, 'not_found', `No profile ${gcust}.`);
    const column = (k: string): keyof GuestRow => (k === 'MOBILE' ? (store.data.dialect === 'BACCHUS' ? 'MOBILE_NOS' : 'CONTACT1_RMK') : (k as keyof GuestRow));
    const current = (k: string) => (row[column(k)] ?? null) as string | null;
    const answer = (status: number, payload: unknown) => {
      ctx.idempotency.set(idem, { status, body: payload });
      return reply.code(status).send(payload);
    };
    if (changes.every(([k, v]) => current(k) === v)) return answer(200, { outcome: 'noop', UPD_DAT: row.UPD_DAT });
    if (row.UPD_DAT !== body.baseUpdDat) {
      // The simulator keeps no history, so any change since the base counts as touching the pushed columns.
      const payload = { error: { code: 'conflict', message: 'The profile changed since baseUpdDat.', details: { current: guestView(row) } } };
      return answer(409, payload);
    }
    for (const [k, v] of changes) {
      const col = column(k);
      (row as Record<string, unknown>)[col] = v;
      if (k === 'MOBILE' && col === 'CONTACT1_RMK') row.CONTACT1_COD = '01';
    }
    // UPD_DAT moves forward by at least a second so compare-and-set sees the write.
    const next = Math.max(store.now(), parseLocal(row.UPD_DAT) + 1000);
    row.UPD_DAT = formatLocal(next);
    store.guests.upsert(row);
    return answer(200, { outcome: 'applied', UPD_DAT: row.UPD_DAT });
  });

  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: { code: 'not_found', message: `No route ${req.method} ${req.url.split('?')[0]}`, details: {} } }));
  return app;
}
