import type { FastifyInstance } from 'fastify';
import { createRng } from './data/random.ts';
import { exportFile } from './data/export-file.ts';
import { createStore, type StoreOptions } from './data/store.ts';
import { adminRoutes } from './http/admin.ts';
import { type ApiKeyGrant, type AppContext, createApp } from './http/app.ts';
import { createFaultState, type FaultConfig, type FaultKind } from './http/faults.ts';

export type { Change, ChangeKind, Store, StoreOptions } from './data/store.ts';
export type { DataSet, GenerateOptions } from './data/generate.ts';
export { generateDataSet, DIALECT_CODES, ROOM_TYPES } from './data/generate.ts';
export type { CrmMember, GuestRow, MemberTruth, Person, ProfileTruth, StatusDialect, StayRow, TrapTag } from './data/types.ts';
export type { FaultConfig, FaultKind } from './http/faults.ts';
export { formatLocal, parseLocal, taipeiNow } from './data/time.ts';
export { GUEST_COLUMNS, STAY_COLUMNS, type ExportedFile } from './data/export-file.ts';

export const DEMO_API_KEY = 'dean-demo-key-7c1e0d2a9b4f4e3a8d6c5b1a';

export type PmsSimulatorOptions = StoreOptions & {
  /** API keys and the hotels each covers (default: the demo key, all hotels). */
  apiKeys?: Record<string, ApiKeyGrant>;
  /** Columns PATCH accepts; [] makes the installation read-only (501 writes_disabled). */
  writable?: string[];
  faults?: Partial<FaultConfig>;
  logger?: boolean;
  sleep?: (ms: number) => Promise<void>;
};

export type PmsSimulator = ReturnType<typeof createHandle>;

/**
 * A stand-in for a 德安 installation that implements docs/pms-dean-contract.md: a Fastify instance (not listening)
 * serving /dean/v1 and the /_sim controls, plus a handle on its data, ground truth, clock and faults.
 */
export function buildPmsSimulator(options: PmsSimulatorOptions = {}): { app: FastifyInstance; sim: PmsSimulator } {
  const store = createStore(options);
  const ctx: AppContext = {
    store,
    rng: createRng(`${options.seed ?? 'innkeeper-pms-simulator'}\u0000faults`),
    faults: createFaultState(options.faults),
    apiKeys: options.apiKeys ?? { [DEMO_API_KEY]: {} },
    writable: options.writable ?? ['E_MAIL', 'MOBILE', 'LAST_NAM', 'FIRST_NAM', 'ALT_NAM', 'SEX_TYP', 'ID_NOS', 'DM_FLAG'],
    logger: options.logger ?? false,
    sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    idempotency: new Map(),
    requests: 0,
  };
  const app = createApp(ctx);
  adminRoutes(app, ctx);
  return { app, sim: createHandle(ctx) };
}

export async function startPmsSimulator(options: PmsSimulatorOptions & { port?: number; host?: string } = {}) {
  const { app, sim } = buildPmsSimulator(options);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 3910, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/dean/v1`;
  return { app, sim, url, close: () => app.close() };
}

function createHandle(ctx: AppContext) {
  const { store } = ctx;
  return {
    ctx,
    store,
    data: store.data,
    /** Ground truth: which person each profile is, and each member's person, traps and matchability. */
    truth: store.data.truth,
    now: () => store.now(),
    advance: (ms: number) => store.advance(ms),
    setFaults: (patch: Partial<FaultConfig>) => {
      ctx.faults.config = { ...ctx.faults.config, ...patch };
    },
    queueFault: (kind: FaultKind, count = 1) => {
      for (let i = 0; i < count; i++) ctx.faults.next.push(kind);
    },
    faultCounters: () => ({ ...ctx.faults.counters }),
    /** The file-drop transport: a FULL or (with `since`) DELTA export in the contract's CSV layout. */
    exportFile: (table: 'GHIST_MN' | 'GUEST_MN', options: { since?: string; hotel?: string } = {}) => exportFile(store, table, options),
  };
}
