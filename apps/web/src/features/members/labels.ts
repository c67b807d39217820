import { IDENTITY_TYPES, STAY_STATUSES } from '@innkeeper/contracts';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { humanizeCode } from '../../lib/labels.ts';
import { GENDERS, HAS_FIELDS, INTERACTION_KINDS, LANGUAGES, LINE_STATUSES, TAG_SOURCES } from './api/segment-definition.ts';
import type { Gender, LineStatus, PreferredLanguage, TagSource } from './api/types.ts';

/** Member fields as the server names them in history entries, merges and imports. */
const FIELD_NAMES = [
  'propertyId', 'lastName', 'firstName', 'gender', 'birthday', 'preferredLanguage', 'email', 'mobile', 'identity', 'marketingOptIn', 'notes', 'line', 'tags',
] as const;
type FieldName = (typeof FIELD_NAMES)[number];

const includes = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);

/** Guests' names as hotels write them: 王小明 for Chinese names, "Emma Chen" for western ones. */
export function fullName(member: { lastName: string; firstName: string }): string {
  const last = member.lastName.trim();
  const first = member.firstName.trim();
  if (/[\u3400-\u9fff\uf900-\ufaff]/.test(last + first)) return `${last}${first}`;
  return [first, last].filter(Boolean).join(' ');
}

/** Labels for the member codes the API sends; an unknown code (a newer server) reads as the code itself. */
export function useMemberLabels() {
  const { t } = useTranslation();
  const gender = useCallback((value: string) => (includes<Gender>(GENDERS, value) ? t(`members.gender.${value}`) : humanizeCode(value)), [t]);
  const language = useCallback((value: string) => (includes<PreferredLanguage>(LANGUAGES, value) ? t(`members.language.${value}`) : humanizeCode(value)), [t]);
  const lineStatus = useCallback((value: string) => (includes<LineStatus>(LINE_STATUSES, value) ? t(`members.lineStatus.${value}`) : humanizeCode(value)), [t]);
  const identityType = useCallback((value: string) => (includes(IDENTITY_TYPES, value) ? t(`members.identityType.${value}`) : humanizeCode(value)), [t]);
  const stayStatus = useCallback((value: string) => (includes(STAY_STATUSES, value) ? t(`members.stays.status.${value}`) : humanizeCode(value)), [t]);
  const tagSource = useCallback((value: string) => (includes<TagSource>(TAG_SOURCES, value) ? t(`members.tagSource.${value}`) : humanizeCode(value)), [t]);
  const field = useCallback((value: string) => (includes<FieldName>(FIELD_NAMES, value) ? t(`members.fields.${value}`) : humanizeCode(value)), [t]);
  const hasField = useCallback((value: string) => (includes(HAS_FIELDS, value) ? t(`members.fields.${value}`) : humanizeCode(value)), [t]);
  const interactionKind = useCallback((value: string) => (includes(INTERACTION_KINDS, value) ? t(`segments.interactionKind.${value}`) : humanizeCode(value)), [t]);
  return { gender, language, lineStatus, identityType, stayStatus, tagSource, field, hasField, interactionKind };
}

export { FIELD_NAMES, IDENTITY_TYPES, STAY_STATUSES };
