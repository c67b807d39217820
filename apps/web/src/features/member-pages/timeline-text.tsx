import {
  AimOutlined,
  BellOutlined,
  CheckCircleOutlined,
  CloudUploadOutlined,
  DeleteOutlined,
  EditOutlined,
  EyeOutlined,
  HomeOutlined,
  LinkOutlined,
  MergeCellsOutlined,
  MessageOutlined,
  MinusCircleOutlined,
  QuestionCircleOutlined,
  ReadOutlined,
  SendOutlined,
  StopOutlined,
  SyncOutlined,
  TagOutlined,
  UndoOutlined,
  UserAddOutlined,
} from '@ant-design/icons';
import { useCallback, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { humanizeCode } from '../../lib/labels.ts';
import { type Interaction, useMemberLabels } from '../members/index.ts';
import { useButtonOrigin } from './tag-origin.ts';

// 'demo': the sample members demo mode seeds (app/demo-pms.ts), so the demo's timeline says 示範資料, not "demo".
const ORIGINS = ['staff', 'line', 'liff', 'import', 'pms', 'api', 'campaign', 'rule', 'demo'] as const;
type Origin = (typeof ORIGINS)[number];
const ACTORS = ['staff', 'guest', 'system', 'campaign', 'pms', 'import', 'line', 'rule'] as const;
type ActorType = (typeof ACTORS)[number];

/** Where a member or a consent change came from (staff, LINE, the member page, an import …). */
export function useOriginLabel() {
  const { t } = useTranslation();
  return useCallback(
    (origin: string) => {
      if (!origin) return t('members.origin.unknown');
      return (ORIGINS as readonly string[]).includes(origin) ? t(`members.origin.${origin as Origin}`) : humanizeCode(origin);
    },
    [t],
  );
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

export type TimelineLine = { icon: ReactNode; color: string; text: string; quote?: string | undefined; detail?: string | undefined; actor?: string | undefined };

/** One history entry as an icon and a readable sentence (plus a quoted message, a detail line and who did it). */
export function useTimelineText(propertyName: (id: string) => string) {
  const { t } = useTranslation();
  const labels = useMemberLabels();
  const origin = useOriginLabel();
  const buttonOrigin = useButtonOrigin();

  const actorOf = useCallback(
    (entry: Interaction): string | undefined => {
      const type = (ACTORS as readonly string[]).includes(entry.actorType) ? (entry.actorType as ActorType) : undefined;
      if (type === 'staff') return entry.actorLabel || t('members.actor.staff');
      if (type === 'guest') return undefined;
      if (type === 'import') return t('members.actor.importFile', { file: entry.actorLabel || '—' });
      if (type) return t(`members.actor.${type}`);
      return entry.actorLabel || undefined;
    },
    [t],
  );

  return useCallback(
    (entry: Interaction): TimelineLine => {
      const d = entry.details;
      const fields = (value: unknown) => list(value).map(labels.field).join(t('members.listSeparator')) || '—';
      const actor = actorOf(entry);
      const base = { actor };
      switch (entry.type) {
        case 'created':
          return { ...base, icon: <UserAddOutlined />, color: 'green', text: t('members.timeline.created', { origin: origin(str(d.source) ?? '') }) };
        case 'edited': {
          // The PMS field sync records where the two sides differed and which one was kept (decision 0010).
          const conflicts = Array.isArray(d.conflicts) ? (d.conflicts as Array<{ field?: unknown; kept?: unknown }>) : [];
          const detail = conflicts
            .map((c) => t(c.kept === 'crm' ? 'members.timeline.pmsConflictKept' : 'members.timeline.pmsConflictTaken', { field: labels.field(String(c.field)) }))
            .join(t('members.listSeparator'));
          return { ...base, icon: <EditOutlined />, color: 'blue', text: t('members.timeline.edited', { fields: fields(d.fields) }), detail: detail || undefined };
        }
        case 'deleted':
          return { ...base, icon: <DeleteOutlined />, color: 'red', text: t('members.timeline.deleted') };
        case 'restored':
          return { ...base, icon: <UndoOutlined />, color: 'green', text: t('members.timeline.restored') };
        case 'merged':
          return {
            ...base,
            icon: <MergeCellsOutlined />,
            color: 'purple',
            text: t('members.timeline.merged', { memberNo: str(d.mergedMemberNo) ?? '—' }),
            detail: t('members.timeline.mergedDetail', { fields: list(d.fieldsTaken).length > 0 ? fields(d.fieldsTaken) : t('members.timeline.noFieldsTaken'), stays: num(d.staysMoved), history: num(d.historyMoved) }),
          };
        case 'imported':
          return { ...base, icon: <CloudUploadOutlined />, color: 'blue', text: str(d.stayId) ? t('members.timeline.importedStay', { fields: fields(d.fields) }) : t('members.timeline.imported', { fields: fields(d.fields) }) };
        case 'opted_in':
          return { ...base, icon: <BellOutlined />, color: 'green', text: t('members.timeline.optedIn', { origin: origin(str(d.source) ?? '') }) };
        case 'opted_out':
          return { ...base, icon: <BellOutlined />, color: 'gray', text: t('members.timeline.optedOut', { origin: origin(str(d.source) ?? '') }) };
        case 'personal_data_viewed':
          return { ...base, icon: <EyeOutlined />, color: 'orange', text: t('members.timeline.personalDataViewed') };
        case 'followed':
          return { ...base, icon: <CheckCircleOutlined />, color: 'green', text: d.isUnblocked === true ? t('members.timeline.unblocked') : t('members.timeline.followed') };
        case 'unfollowed':
        case 'blocked':
          return { ...base, icon: <StopOutlined />, color: 'red', text: t('members.timeline.blocked') };
        case 'message_received': {
          const text = str(d.text);
          return text
            ? { ...base, icon: <MessageOutlined />, color: 'blue', text: t('members.timeline.messageText'), quote: text }
            : { ...base, icon: <MessageOutlined />, color: 'blue', text: t('members.timeline.messageOther', { kind: str(d.messageType) ?? '—' }) };
        }
        case 'message_sent':
          return { ...base, icon: <SendOutlined />, color: 'blue', text: t('members.timeline.messageSent') };
        case 'clicked': {
          const label = str(d.label);
          const data = str(d.data);
          // A tracked URL button (through the LIFF page) names where it led instead of postback data.
          const url = str(d.url);
          // A campaign's button names its campaign; the raw postback data is for buttons nobody else explains.
          const source = str(d.source);
          if (d.otherProperty === true) return { ...base, icon: <AimOutlined />, color: 'blue', text: t('members.timeline.clickedOther') };
          return {
            ...base,
            icon: <AimOutlined />,
            color: 'blue',
            text: label ? t('members.timeline.clickedLabel', { label }) : t('members.timeline.clicked'),
            detail: source ? t(str(d.ruleId) ? 'members.timeline.clickedRule' : 'members.timeline.clickedCampaign', { name: source }) + (url ? ` · ${t('members.timeline.clickedUrl', { url })}` : '') : data ? t('members.timeline.postbackData', { data }) : url ? t('members.timeline.clickedUrl', { url }) : undefined,
          };
        }
        // A campaign LINE accepted for the guest (from the campaign's outcomes, see campaigns/campaign-timeline.ts).
        case 'campaign_received':
          // Another property's campaign is not named to an account of other properties (the server leaves it out).
          return { ...base, icon: <SendOutlined />, color: 'blue', text: d.otherProperty === true ? t('members.timeline.campaignReceivedOther') : t('members.timeline.campaignReceived', { name: str(d.campaignName) ?? entry.actorLabel }) };
        case 'opened':
          return { ...base, icon: <ReadOutlined />, color: 'blue', text: t('members.timeline.opened') };
        case 'bound': {
          const merged = str(d.mergedFriendRecord);
          return { ...base, icon: <LinkOutlined />, color: 'green', text: t('members.timeline.bound'), detail: merged ? t('members.timeline.boundMerged', { memberNo: merged }) : undefined };
        }
        case 'tag_added': {
          const source = str(d.source);
          const sourceLabel = str(d.sourceLabel);
          const from = source ? labels.tagSource(source) : undefined;
          const button = buttonOrigin({ source, sourceLabel, sourceDetail: str(d.sourceDetail), otherProperty: d.otherProperty === true });
          return {
            ...base,
            icon: <TagOutlined />,
            color: 'green',
            text: t('members.timeline.tagAdded', { tag: str(d.tagName) ?? '—' }),
            detail: button ? t('members.timeline.tagSourceText', { text: button }) : from ? (sourceLabel && source !== 'staff' ? t('members.timeline.tagSourceLabelled', { source: from, label: sourceLabel }) : t('members.timeline.tagSource', { source: from })) : undefined,
          };
        }
        case 'tag_removed': {
          const reason = str(d.reason);
          const why = reason === 'expired' ? t('members.timeline.tagExpired') : reason === 'tag_deleted' ? t('members.timeline.tagDeleted') : reason === 'staff_bulk' ? t('members.timeline.tagBulk') : undefined;
          return { ...base, icon: <MinusCircleOutlined />, color: 'gray', text: t('members.timeline.tagRemoved', { tag: str(d.tagName) ?? '—' }), detail: why };
        }
        case 'stay_added':
          return {
            ...base,
            icon: <HomeOutlined />,
            color: 'cyan',
            text: t('members.timeline.stayAdded', { property: str(d.propertyId) ? propertyName(str(d.propertyId) ?? '') : '—', checkIn: str(d.checkIn) ?? '—', checkOut: str(d.checkOut) ?? '—' }),
          };
        case 'synced':
          return { ...base, icon: <SyncOutlined />, color: 'blue', text: t('members.timeline.synced') };
        default:
          return { ...base, icon: <QuestionCircleOutlined />, color: 'gray', text: humanizeCode(entry.type) };
      }
    },
    [t, labels, origin, buttonOrigin, actorOf, propertyName],
  );
}
