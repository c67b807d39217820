import { DEFAULT_LOCALE } from '@innkeeper/contracts';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { humanizeCode } from '../../lib/labels.ts';

/**
 * Labels for the codes the sync reports (match reasons, quarantine reasons, alert codes, tiers): the server may send
 * a code newer than this page knows, which is then shown readable rather than as a missing key.
 */
export function useCodeLabel() {
  const { i18n } = useTranslation();
  const current = i18n.language;
  return useCallback(
    (group: 'reasons' | 'rejectReasons' | 'alertCodes' | 'tierNames' | 'importRejectReasons', code: string): string => {
      // Another PMS's file is read in Innkeeper's words (住客編號), not in 德安's column names (GCUST_COD).
      const keys = group === 'importRejectReasons' ? [`pmsImport.rejectReasons.${code}`, `pms.rejectReasons.${code}`] : [`pms.${group}.${code}`];
      for (const key of keys) {
        for (const language of [current, DEFAULT_LOCALE]) {
          const value: unknown = i18n.getResource(language, 'translation', key);
          if (typeof value === 'string') return value;
        }
      }
      return humanizeCode(code);
    },
    [i18n, current],
  );
}

export function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)}%`;
}

/** The names Innkeeper itself gives a connection (the form's default, the demo's): said in the page's language. */
const DEFAULT_NAMES: Record<string, 'pms.defaultName' | 'pms.defaultNameSimulated'> = { '德安 PMS': 'pms.defaultName', '德安 PMS（模擬）': 'pms.defaultNameSimulated' };

/** A connection's name as shown: one the hotel typed as typed, Innkeeper's own default in the reader's language. */
export function useConnectionName() {
  const { t } = useTranslation();
  return useCallback((name: string): string => (DEFAULT_NAMES[name] ? t(DEFAULT_NAMES[name]) : name), [t]);
}
