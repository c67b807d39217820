import type { Module } from '../core/module.ts';
import { accountsModule } from '../modules/accounts/index.ts';
import { auditModule } from '../modules/audit/index.ts';
import { authModule } from '../modules/auth/index.ts';
import { automationModule } from '../modules/automation/index.ts';
import { campaignsModule } from '../modules/campaigns/index.ts';
import { lineModule } from '../modules/line/index.ts';
import { mailboxModule } from '../modules/mailbox/index.ts';
import { memberPortalModule } from '../modules/member-portal/index.ts';
import { memberTransferModule } from '../modules/member-transfer/index.ts';
import { membersModule } from '../modules/members/index.ts';
import { platformModule } from '../modules/platform/index.ts';
import { segmentsModule } from '../modules/segments/index.ts';
import { tagsModule } from '../modules/tags/index.ts';
import { tenantsModule } from '../modules/tenants/index.ts';

/**
 * Every module of the process, created in this order (a module comes after those whose services it asks for; the
 * type-check below refuses any other order). Adding a module is one line here: docs/architecture.md.
 */
export const MODULES = [
  auditModule,
  tenantsModule,
  accountsModule,
  authModule,
  platformModule,
  membersModule,
  tagsModule,
  segmentsModule,
  memberTransferModule,
  lineModule,
  campaignsModule,
  memberPortalModule,
  automationModule,
  mailboxModule,
] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- matches any module's needs and services
export type AnyModule = Module<any, any>;
type ServicesOf<M> = M extends Module<infer _N, infer S> ? S : never;
type NeedsOf<M> = M extends Module<infer N, infer _S> ? N : never;

/** The services of every module together, by name: what the runtime (and the tests) hold. */
type ServicesOfAll<Ms, Built = Record<never, never>> = Ms extends readonly [infer M, ...infer Rest] ? ServicesOfAll<Rest, Built & ServicesOf<M>> : Built;
export type Services = ServicesOfAll<typeof MODULES>;

/** `true` when each module's needs are met by the modules before it; otherwise names the first module that is not. */
type InOrder<Ms, Built = Record<never, never>> = Ms extends readonly [infer M, ...infer Rest]
  ? Built extends NeedsOf<M>
    ? InOrder<Rest, Built & ServicesOf<M>>
    : { error: 'this module needs a service of a module listed after it (or of none)'; module: M }
  : true;
const modulesInOrder: InOrder<typeof MODULES> = true;
void modulesInOrder;
