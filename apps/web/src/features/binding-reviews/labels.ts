import { IDENTITY_TYPES, type IdentityType } from '@innkeeper/contracts';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { humanizeCode } from '../../lib/labels.ts';

function isIdentityType(value: string): value is IdentityType {
  return (IDENTITY_TYPES as readonly string[]).includes(value);
}

/** 身分證 / 居留證 / 護照 for the document types the server sends as codes. */
export function useIdentityTypeLabel() {
  const { t } = useTranslation();
  return useCallback((type: string) => (isIdentityType(type) ? t(`bindingReviews.identityTypes.${type}`) : humanizeCode(type)), [t]);
}
