import type { ResponseBody, ZMemberPmsProfiles } from '@innkeeper/contracts/api';
import { useQuery } from '@tanstack/react-query';
import { Card, List, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../../lib/api-client.ts';

/** The 德安 guest profiles linked to a member (the member page): nothing when none is. */
export function MemberPmsCard({ memberId }: { memberId: string }) {
  const { t } = useTranslation();
  const profiles = useQuery({
    queryKey: ['pms', 'member', memberId],
    queryFn: async ({ signal }) => (await api.get<ResponseBody<typeof ZMemberPmsProfiles>>(`/api/members/${encodeURIComponent(memberId)}/pms-profiles`, { signal })).data,
  });
  if (!profiles.data || profiles.data.length === 0) return null;
  return (
    <Card size="small" title={t('pms.memberCard')} data-testid="member-pms-card">
      <List
        size="small"
        dataSource={profiles.data}
        renderItem={(p) => (
          <List.Item>
            <List.Item.Meta
              title={
                <>
                  <Typography.Text code>{p.gcustCod}</Typography.Text> {p.registeredName ?? p.bookedName ?? ''} {p.deleted ? <Tag>{t('pms.deletedProfile')}</Tag> : null}
                </>
              }
              description={[p.mobiles.join(t('members.listSeparator')), p.identity?.masked, p.stays > 0 ? t('pmsReviews.staysValue', { count: p.stays, last: p.lastStay }) : t('pmsReviews.noStays')].filter(Boolean).join(' · ')}
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
