import type { Permission } from '@innkeeper/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import type { Clock } from './clock.ts';
import type { LeanRoutes } from './http/lean-routes.ts';
import type { Keyring } from './crypto/keyring.ts';
import type { Database } from './db/database.ts';
import type { FieldMessages } from './validation-messages.ts';
import type { JobDefinition, JobQueue } from './jobs/queue.ts';
import type { Mailer } from './mail/mailer.ts';
import type { SmsSender } from './sms/sms.ts';

/** What the process provides to every module: built once by the composition root (app/runtime.ts) before any module. */
export type Platform = {
  config: Config;
  db: Database;
  clock: Clock;
  keyring: Keyring;
  mailer: Mailer;
  sms: SmsSender;
  logger: Logger;
  /** The job queue is built from every module's jobs, so it exists only once all modules are: read it when you use it. */
  queue: () => JobQueue;
  /** Where LINE's API is (LINE itself, or the simulator in the demo and tests). */
  lineBaseUrl: () => string;
  extensions: Extensions;
};

/**
 * A list that a lower module reads and higher modules add to, so a call can go "up" without an import going up:
 * members runs its merge hooks (tags moves the merged member's tags), tags asks who uses a tag (segments answers),
 * LINE asks what a postback means, audit asks how to name a target. The owner declares the point and says what an
 * item is; contributors name it in their manifest's `contributes`.
 */
export type ExtensionPoint<T> = { readonly name: string; readonly item?: T };

export function extensionPoint<T>(name: string): ExtensionPoint<T> {
  return { name };
}

export type Contribution = { readonly point: ExtensionPoint<unknown>; readonly item: unknown };

/** Items for an extension point, typed by the point. */
export function contribute<T>(point: ExtensionPoint<T>, ...items: T[]): Contribution[] {
  return items.map((item) => ({ point: point as ExtensionPoint<unknown>, item }));
}

export type Extensions = {
  /** Every item contributed so far; read it when the hook runs (contributions are complete once all modules are built). */
  of<T>(point: ExtensionPoint<T>): T[];
  /** Adds an item (the composition root does this for manifests; a test may add its own). */
  add<T>(point: ExtensionPoint<T>, item: T): void;
};

export function createExtensions(): Extensions {
  const items = new Map<ExtensionPoint<unknown>, unknown[]>();
  const listOf = (point: ExtensionPoint<unknown>) => {
    let list = items.get(point);
    if (!list) items.set(point, (list = []));
    return list;
  };
  return {
    of: <T>(point: ExtensionPoint<T>) => [...listOf(point as ExtensionPoint<unknown>)] as T[],
    add: (point, item) => void listOf(point as ExtensionPoint<unknown>).push(item),
  };
}

/** What a module adds to the process once created. */
export type ModuleParts<Services extends object> = {
  /** What other modules (and tests) call: typed, and reached by them through their own `create` parameters. */
  services: Services;
  /** Registered on the HTTP app by build-app.ts, in module order. Each is a Fastify plugin (its own routes). */
  routes?: readonly FastifyPluginAsyncZod[];
  /**
   * Public routes served outside the general request pipeline (no cookies, session, security-header or validation
   * hooks: core/http/lean-routes.ts). Only for an answer that renders nothing and must be cheap at burst rates — the
   * tracked-link redirect (docs/decisions/0013-lean-tracked-redirect.md); everything else belongs in `routes`.
   */
  leanRoutes?: readonly LeanRoutes[];
  /** Job handlers and schedules (cron) the worker runs. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each job has its own payload, checked by its schema
  jobs?: ReadonlyArray<JobDefinition<any>>;
  /** Items for other modules' extension points. */
  contributes?: readonly Contribution[];
};

/**
 * One module's manifest, exported by its index.ts. `create` receives the platform and the services of the modules it
 * names in its parameter type (`Platform & { members: MembersService }`); the composition root checks at compile time
 * that every module it lists comes after the ones whose services it asks for.
 */
export type Module<Needs extends object, Services extends object> = {
  name: string;
  /** The permissions its routes check (they exist in packages/contracts, which the web app reads too). */
  permissions?: readonly Permission[];
  /** Messages for its fields' validation errors and its services' field errors (message key → text per locale). */
  fieldMessages?: FieldMessages;
  create(deps: Platform & Needs): ModuleParts<Services>;
};

export function defineModule<Needs extends object = object, Services extends object = object>(module: Module<Needs, Services>): Module<Needs, Services> {
  return module;
}
