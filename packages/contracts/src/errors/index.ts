import type { Locale } from '../locales.ts';
import { ACCOUNTS_ERRORS } from './accounts.ts';
import { AUTH_ERRORS } from './auth.ts';
import { AUTOMATION_ERRORS } from './automation.ts';
import { CAMPAIGNS_ERRORS } from './campaigns.ts';
import { CORE_ERRORS } from './core.ts';
import { LINE_ERRORS } from './line.ts';
import { MAILBOX_ERRORS } from './mailbox.ts';
import { MEMBER_PORTAL_ERRORS } from './member-portal.ts';
import { MEMBER_TRANSFER_ERRORS } from './member-transfer.ts';
import { MEMBERS_ERRORS } from './members.ts';
import { PMS_ERRORS } from './pms.ts';
import { SEGMENTS_ERRORS } from './segments.ts';
import { TAGS_ERRORS } from './tags.ts';
import { TENANTS_ERRORS } from './tenants.ts';

/**
 * Every error the API can answer, with its HTTP status and message in each locale: the one table that maps codes to
 * statuses. The API sends `{ error: { code, message, details } }` with `message` in the caller's language. Each module
 * keeps its codes in its own file here (a new module adds its file and one line below); the web app reads them too.
 */
export const ERROR_CATALOG = {
  ...CORE_ERRORS,
  ...AUTH_ERRORS,
  ...TENANTS_ERRORS,
  ...ACCOUNTS_ERRORS,
  ...MEMBERS_ERRORS,
  ...TAGS_ERRORS,
  ...SEGMENTS_ERRORS,
  ...LINE_ERRORS,
  ...MEMBER_PORTAL_ERRORS,
  ...MAILBOX_ERRORS,
  ...MEMBER_TRANSFER_ERRORS,
  ...CAMPAIGNS_ERRORS,
  ...AUTOMATION_ERRORS,
  ...PMS_ERRORS,
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOG;

/**
 * The message of `code` in `locale`, its `{placeholders}` filled from the error's details where they hold a string or a
 * number (「已有標籤「{name}」…」 names the tag); a placeholder without such a detail is left as written.
 */
export function errorMessage(code: ErrorCode, locale: Locale, details?: unknown): string {
  const message: string = ERROR_CATALOG[code][locale];
  if (typeof details !== 'object' || details === null) return message;
  const values = details as Record<string, unknown>;
  return message.replace(/\{(\w+)\}/g, (placeholder, key: string) => {
    const value = values[key];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : placeholder;
  });
}

export function errorStatus(code: ErrorCode): number {
  return ERROR_CATALOG[code].status;
}

/** The body of every failed API response. */
export type ApiErrorBody = {
  error: { code: ErrorCode; message: string; details?: unknown };
};

/** A field-level problem inside `details.issues` of a `request.validation` error. */
export type FieldIssue = { path: string; code: string; message: string };
