import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SimContext } from '../context.ts';
import type { Channel } from '../state/types.ts';
import { LineError, lineError, MESSAGES } from './errors.ts';
import { applyFaults, DropConnection, drawLatency } from './faults.ts';
import { type RateClass, takeToken } from './rate-limit.ts';

export type LineRouteConfig = {
  /** 'none' for LINE Login endpoints that authenticate with their own credentials. */
  auth?: 'bearer' | 'none';
  rate?: RateClass;
  /** Push, multicast, narrowcast and broadcast accept X-Line-Retry-Key; anything else rejects it. */
  retryKey?: boolean;
};

export type RequestState = {
  requestId: string;
  channel: Channel | null;
  endpointKey: string;
  retryKey: string | null;
  dropAfterAccept: boolean;
  errorAfterAccept: boolean;
  /** The way back of the simulated round trip, waited for before the answer leaves. */
  latencyBackMs: number;
  /** When this process read the request (its clock). */
  receivedAt: number;
};

declare module 'fastify' {
  interface FastifyRequest {
    sim: RequestState;
  }
  interface FastifyContextConfig {
    line?: LineRouteConfig;
  }
}

export const RETRY_KEY_TTL_MS = 24 * 60 * 60 * 1000;
const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function channelOf(req: FastifyRequest): Channel {
  const channel = req.sim.channel;
  if (!channel) throw new Error(`route ${req.sim.endpointKey} needs bearer auth`);
  return channel;
}

export function authenticate(ctx: SimContext, req: FastifyRequest): Channel {
  const header = req.headers.authorization;
  const m = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  if (!m) throw lineError(401, MESSAGES.missingAuth);
  const channel = ctx.store.byToken.get(m[1]!.trim());
  if (!channel) throw lineError(401, MESSAGES.invalidToken);
  return channel;
}

/** Hooks for every LINE-path route: request ids, auth, latency, rate limits, faults, retry keys and counters. */
export function installLinePipeline(app: FastifyInstance, ctx: SimContext): void {
  app.addHook('onRequest', async (req, reply) => {
    req.sim = {
      requestId: ctx.random.uuid(),
      channel: null,
      endpointKey: `${req.method} ${req.routeOptions.url ?? req.url}`,
      retryKey: null,
      dropAfterAccept: false,
      errorAfterAccept: false,
      latencyBackMs: 0,
      receivedAt: ctx.clock.now(),
    };
    // Every LINE response carries a fresh request id, errors and retries included.
    reply.header('x-line-request-id', req.sim.requestId);
  });

  app.addHook('preHandler', async (req) => {
    const cfg = req.routeOptions.config.line ?? {};
    if (cfg.auth === 'none') return;
    const channel = authenticate(ctx, req);
    req.sim.channel = channel;
    const latency = drawLatency(ctx, channel, req.sim.endpointKey);
    req.sim.latencyBackMs = latency.back;
    const arrivedAt = arrivalOf(ctx, req, latency.there);
    // The way there is always waited, the part of it still to come (nothing, if this process read the request after
    // its arrival): a client's test hooks the sleeps, one there and one back per request, whatever the machine's load.
    if (latency.there > 0) await ctx.options.sleep(Math.max(0, arrivedAt - ctx.clock.now()));

    const rawKey = req.headers['x-line-retry-key'];
    const key = Array.isArray(rawKey) ? rawKey[0] : rawKey;
    if (key !== undefined) {
      if (!cfg.retryKey) throw lineError(400, 'X-Line-Retry-Key header is not supported for this API');
      if (!UUID_RE.test(key)) throw lineError(400, "The value for the 'X-Line-Retry-Key' header is invalid");
    }
    const normalized = key?.toLowerCase();
    // The key's 24 h window starts at its first attempt, whatever became of that attempt (rate-limited, failed, dropped).
    let record = normalized === undefined ? undefined : channel.retryKeys.get(normalized);
    if (normalized !== undefined && (!record || ctx.clock.now() - record.firstAttemptAt >= RETRY_KEY_TTL_MS)) {
      record = { firstAttemptAt: ctx.clock.now(), accepted: null };
      channel.retryKeys.set(normalized, record);
    }

    takeToken(ctx, channel, req.sim.endpointKey, cfg.rate ?? 'default', arrivedAt);
    const outcome = applyFaults(ctx, channel, req.sim.endpointKey);
    req.sim.dropAfterAccept = outcome.dropAfterAccept;
    req.sim.errorAfterAccept = outcome.errorAfterAccept;

    if (normalized !== undefined && record) {
      const accepted = record.accepted;
      if (accepted) {
        channel.counters.retryKeyConflicts++;
        const body: Record<string, unknown> = { message: MESSAGES.retryKeyAccepted };
        // Push alone repeats the original sentMessages so a retrying client can still learn the ids.
        const sent = (accepted.body as { sentMessages?: unknown } | null)?.sentMessages;
        if (accepted.endpoint.endsWith('/push') && sent) body['sentMessages'] = sent;
        throw new LineError(409, body, { 'x-line-accepted-request-id': accepted.requestId });
      }
      req.sim.retryKey = normalized;
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const channel = req.sim?.channel;
    if (!channel) return payload;
    const ok = reply.statusCode >= 200 && reply.statusCode < 300;
    // Faults after acceptance happen only to accepted requests.
    if (!ok) req.sim.dropAfterAccept = req.sim.errorAfterAccept = false;
    if (ok && req.sim.retryKey) {
      // A key locks only once a request with it has been accepted.
      const record = channel.retryKeys.get(req.sim.retryKey) ?? { firstAttemptAt: ctx.clock.now(), accepted: null };
      record.accepted = { requestId: req.sim.requestId, acceptedAt: ctx.clock.now(), endpoint: req.sim.endpointKey, status: reply.statusCode, body: parseJson(payload) };
      channel.retryKeys.set(req.sim.retryKey, record);
    }
    if (req.sim.latencyBackMs > 0) await ctx.options.sleep(req.sim.latencyBackMs);
    if (ok && req.sim.dropAfterAccept) {
      channel.counters.faults.dropAfterAccept++;
      countStatus(channel, req.sim.endpointKey, reply.statusCode);
      req.raw.socket?.destroy();
      return payload;
    }
    if (ok && req.sim.errorAfterAccept) {
      // Delivered and the key locked, yet the client hears 500: only the retry key saves it from sending twice.
      channel.counters.faults.errorAfterAccept++;
      reply.code(500).header('content-type', 'application/json; charset=utf-8');
      return JSON.stringify({ message: MESSAGES.internal });
    }
    return payload;
  });

  app.addHook('onResponse', async (req, reply) => {
    const channel = req.sim?.channel;
    // A dropped answer was counted when it was dropped.
    if (channel && !req.sim.dropAfterAccept) countStatus(channel, req.sim.endpointKey, reply.statusCode);
  });
}

/** How far back a client's sent-at header is believed (beyond: a clock that is off, or a value made up). */
const MAX_SENT_LAG_MS = 1000;

/**
 * When the request reaches "LINE": when it left the client plus the way there. LINE is a fleet of servers that sees a
 * request when it arrives; this simulator is one process that, on a machine whose cores the client and its database
 * also use, may read a request tens of milliseconds after it came and fire the way there's timer later still. Judging
 * LINE's rate limit then would bunch requests that left one pacing interval apart and were spread by the network's
 * jitter only, and refuse them for this process's lateness, not the client's (bench:push, 2026-12-07, three traced runs:
 * the simulator read requests up to 200 ms after they left and fired the way there's timers up to 160 ms late; its
 * 14, 92 and 8 × 429 were 0, 0 and 0 when the same requests were judged, in order, at departure + way there). So the
 * rate limit is judged at the arrival time: when the request was read (or, with `sentAtHeader`, when the client says
 * it left, at most a second earlier) plus the way there, in the order of arrival (rate-limit.ts `takeToken`). The way
 * there is still drawn per request, so the network's own bunching stays; a client that sends too fast is refused as
 * before.
 */
function arrivalOf(ctx: SimContext, req: FastifyRequest, there: number): number {
  const name = ctx.options.sentAtHeader;
  const raw = name ? req.headers[name] : undefined;
  const sentAt = Number(Array.isArray(raw) ? raw[0] : raw);
  const left = raw !== undefined && Number.isFinite(sentAt) ? Math.min(req.sim.receivedAt, Math.max(sentAt, req.sim.receivedAt - MAX_SENT_LAG_MS)) : req.sim.receivedAt;
  return left + there;
}

function countStatus(channel: Channel, endpointKey: string, status: number): void {
  let entry = channel.counters.requests.get(endpointKey);
  if (!entry) {
    entry = { accepted: 0, statuses: new Map() };
    channel.counters.requests.set(endpointKey, entry);
  }
  if (status >= 200 && status < 300) entry.accepted++;
  entry.statuses.set(status, (entry.statuses.get(status) ?? 0) + 1);
}

function parseJson(payload: unknown): unknown {
  if (typeof payload !== 'string') return null;
  try {
    return JSON.parse(payload);
  } catch {
    return null;
  }
}

export function handleLineError(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  if (err instanceof DropConnection) {
    reply.hijack();
    req.raw.socket?.destroy();
    return undefined;
  }
  if (err instanceof LineError) {
    return reply.code(err.status).headers(err.headers).send(err.body);
  }
  const e = err as { code?: string; statusCode?: number; message?: string };
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send({ message: 'Request Entity Too Large' });
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return reply.code(415).send({ message: `The content type, ${req.headers['content-type'] ?? ''}, is not supported` });
  }
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return reply.code(e.statusCode).send({ message: e.message ?? 'Bad Request' });
  req.log.error({ err }, 'simulator error');
  return reply.code(500).send({ message: MESSAGES.internal });
}
