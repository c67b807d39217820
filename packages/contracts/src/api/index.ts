/**
 * The shapes that cross the wire, as zod schemas: the server validates with them, the web app derives its types from
 * them (`import type` only, so zod stays out of its bundle). A changed field fails the type-check on both sides.
 * Kept apart from the package's root, which the web app imports at run time.
 */
export * from './wire.ts';
export * from './fields.ts';
export * from './pages.ts';
export * from './segment-definition.ts';
export * from './members.ts';
export * from './tags.ts';
export * from './segments.ts';
export * from './tenants.ts';
export * from './accounts.ts';
export * from './auth.ts';
export * from './audit.ts';
export * from './line.ts';
export * from './member-portal.ts';
export * from './member-imports.ts';
export * from './mailbox.ts';
export * from './campaign-messages.ts';
export * from './campaigns.ts';
export * from './campaign-clicks.ts';
export * from './automation.ts';
