import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

/** Where a tag on a member came from, as the member page and the timeline receive it. */
export type TagOrigin = { source: string | undefined; sourceLabel: string | undefined; sourceDetail: string | undefined; otherProperty: boolean };
type OriginWords = { key: 'campaignButton' | 'ruleButton'; params: { name: string; button: string } } | { key: 'campaignOther' | 'ruleOther'; params: Record<string, never> };

/**
 * The words for a tag a campaign's or rule's button gave (活動「平日商務優惠」的「我有興趣」按鈕), and for one from a
 * campaign or rule of a property the viewer does not work with, which the server does not name (其他館別的活動), as
 * the key under members.tagOrigin and its values. Undefined for any other origin: the caller's own words say those.
 */
export function buttonOrigin(origin: TagOrigin): OriginWords | undefined {
  const kind = origin.source === 'campaign' ? 'campaign' : origin.source === 'rule' ? 'rule' : undefined;
  if (!kind) return undefined;
  if (origin.otherProperty) return { key: `${kind}Other`, params: {} };
  if (origin.sourceLabel && origin.sourceDetail) return { key: `${kind}Button`, params: { name: origin.sourceLabel, button: origin.sourceDetail } };
  return undefined;
}

export function useButtonOrigin() {
  const { t } = useTranslation();
  return useCallback(
    (origin: TagOrigin): string | undefined => {
      const words = buttonOrigin(origin);
      if (!words) return undefined;
      return words.key === 'campaignButton' || words.key === 'ruleButton' ? t(`members.tagOrigin.${words.key}`, words.params) : t(`members.tagOrigin.${words.key}`);
    },
    [t],
  );
}
