import type { FastifyInstance } from 'fastify';
import type { AppContext } from './app.ts';
import { exportFile } from '../data/export-file.ts';
import { type FaultConfig, type FaultKind, NO_FAULTS } from './faults.ts';

const FAULT_KINDS: FaultKind[] = ['error', 'unavailable', 'timeout', 'truncated', 'partial', 'rate_limited'];

/** /_sim: a development tool's controls (no key), like the LINE simulator's. */
export function adminRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/_sim/stats', async () => ({
    now: ctx.store.now(),
    profiles: ctx.store.guests.size,
    stays: ctx.store.stays.size,
    members: ctx.store.data.members.length,
    changes: ctx.store.log.length,
    requests: ctx.requests,
    faults: { config: ctx.faults.config, queued: ctx.faults.next, counters: ctx.faults.counters },
    manifest: ctx.store.data.manifest,
  }));

  app.post('/_sim/advance', async (req, reply) => {
    const minutes = Number((req.body as { minutes?: unknown } | undefined)?.minutes);
    if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 60 * 24 * 31) return reply.code(400).send({ error: 'minutes must be 0–44640' });
    const changes = ctx.store.advance(minutes * 60_000);
    return { changes: changes.length, byKind: changes.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c.kind]: (acc[c.kind] ?? 0) + 1 }), {}) };
  });

  app.patch('/_sim/faults', async (req, reply) => {
    const patch = (req.body ?? {}) as Record<string, unknown>;
    const next: FaultConfig = { ...ctx.faults.config };
    for (const [k, v] of Object.entries(patch)) {
      if (!(k in NO_FAULTS)) return reply.code(400).send({ error: `unknown fault ${k}` });
      if (k === 'endpoints') {
        if (v !== null && !(Array.isArray(v) && v.every((e) => typeof e === 'string'))) return reply.code(400).send({ error: 'endpoints: string[] | null' });
        next.endpoints = v as string[] | null;
      } else if (typeof v === 'number' && v >= 0 && (k.endsWith('Rate') ? v <= 1 : true)) {
        (next as Record<string, unknown>)[k] = v;
      } else return reply.code(400).send({ error: `${k}: a number${k.endsWith('Rate') ? ' 0–1' : ''}` });
    }
    ctx.faults.config = next;
    return next;
  });

  app.post('/_sim/faults/next', async (req, reply) => {
    const { kind, count } = (req.body ?? {}) as { kind?: unknown; count?: unknown };
    const n = count === undefined ? 1 : Number(count);
    if (!FAULT_KINDS.includes(kind as FaultKind) || !Number.isInteger(n) || n < 1 || n > 100) return reply.code(400).send({ error: `kind: ${FAULT_KINDS.join('|')}, count 1–100` });
    for (let i = 0; i < n; i++) ctx.faults.next.push(kind as FaultKind);
    return { queued: ctx.faults.next };
  });

  /** The file-drop transport: `?since=` makes a DELTA file, `?hotel=` picks the property for stays. */
  app.get('/_sim/exports/:table', async (req, reply) => {
    const { table } = req.params as { table: string };
    const { since, hotel } = req.query as { since?: string; hotel?: string };
    if (table !== 'GHIST_MN' && table !== 'GUEST_MN') return reply.code(404).send({ error: 'GHIST_MN or GUEST_MN' });
    const file = exportFile(ctx.store, table, { ...(since ? { since } : {}), ...(hotel ? { hotel } : {}) });
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file.name}"`).send(file.content);
  });

  /** Ground truth for scoring a matcher from another process (`npm run bench:pms`): each profile's person, each member's. */
  app.get('/_sim/truth', async () => ({
    profiles: Object.fromEntries([...ctx.store.data.truth.profiles].map(([code, t]) => [code, t.personId])),
    members: ctx.store.data.truth.members,
  }));

  /** The CRM-side sample: what guests typed as LINE members (for seeding a demo CRM). */
  app.get('/_sim/members', async () => ({ data: ctx.store.data.members }));
}
