import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../audit-actions.ts';

const LOCALES = path.resolve(import.meta.dirname, '../../../../../web/src/locales');

describe('the audit action catalogue', () => {
  it.each(['zh-TW', 'en'])('names exactly the actions the web app labels in %s', (locale) => {
    const labels = JSON.parse(fs.readFileSync(path.join(LOCALES, `${locale}.json`), 'utf8')).auditActions as Record<string, Record<string, string>>;
    const labelled = Object.entries(labels).flatMap(([group, actions]) => Object.keys(actions).map((action) => `${group}.${action}`));
    expect([...AUDIT_ACTIONS].sort()).toEqual(labelled.sort());
  });
});
