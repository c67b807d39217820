import type { ApiError } from './api-error.ts';

export type FieldPath = Array<string | number>;
export type FieldErrors = Array<{ name: FieldPath; errors: string[] }>;

/** `properties.0.code` → `['properties', 0, 'code']`, the name path antd Form uses. */
export function toFieldPath(path: string): FieldPath {
  return path
    .split('.')
    .filter((part) => part !== '')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * Splits a server error into messages for the form's own fields and messages that belong to no field on the form
 * (those are shown as a general notice). `fields` lists the form's top-level field names.
 */
export function placeServerErrors(error: ApiError, fields: readonly string[]): { fieldErrors: FieldErrors; unplaced: string[] } {
  const known = new Set(fields);
  const byPath = new Map<string, { name: FieldPath; errors: string[] }>();
  const unplaced: string[] = [];

  const place = (path: string, message: string) => {
    const name = toFieldPath(path);
    const top = name[0];
    if (typeof top !== 'string' || !known.has(top)) {
      unplaced.push(message);
      return;
    }
    const entry = byPath.get(path) ?? { name, errors: [] };
    entry.errors.push(message);
    byPath.set(path, entry);
  };

  const issues = error.issues;
  if (issues.length > 0) issues.forEach((issue) => place(issue.path, issue.message));
  else if (error.field) place(error.field, error.message);
  else unplaced.push(error.message);

  return { fieldErrors: [...byPath.values()], unplaced };
}
