import { EyeOutlined, LockOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Popconfirm, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatInZone } from '../../../lib/datetime.ts';
import type { Property } from '../../properties/index.ts';
import { type Member, type PersonalData, useMemberLabels } from '../../members/index.ts';

type Props = {
  member: Member;
  properties: Property[];
  timeZone: string;
  canReveal: boolean;
  revealed: PersonalData | undefined;
  revealing: boolean;
  revealError: string | undefined;
  onReveal: () => void;
};

/** The member's profile with contact details and ID masked; accounts allowed to may reveal them (audit-logged). */
export function ProfileCard({ member, properties, timeZone, canReveal, revealed, revealing, revealError, onReveal }: Props) {
  const { t } = useTranslation();
  const labels = useMemberLabels();
  const property = properties.find((candidate) => candidate.id === member.propertyId);
  const empty = <Typography.Text type="secondary">—</Typography.Text>;
  const shown = (plain: string | null | undefined, masked: string | null | undefined) => {
    if (revealed) return plain ? <Typography.Text copyable>{plain}</Typography.Text> : empty;
    return masked ? <Typography.Text>{masked}</Typography.Text> : empty;
  };
  const identity = member.identity ? (
    <span>
      <Tag>{labels.identityType(member.identity.type)}</Tag>
      {shown(revealed?.identity?.number, member.identity.masked)}
      {member.identity.passportCountry ? <Typography.Text type="secondary"> ({member.identity.passportCountry})</Typography.Text> : null}
    </span>
  ) : (
    empty
  );

  return (
    <Card
      title={t('members.profile.title')}
      extra={
        canReveal && !revealed ? (
          <Popconfirm
            title={t('members.profile.revealTitle')}
            description={<div style={{ maxWidth: 280 }}>{t('members.profile.revealExplain')}</div>}
            okText={t('members.profile.revealConfirm')}
            cancelText={t('common.cancel')}
            onConfirm={onReveal}
          >
            <Button size="small" icon={<EyeOutlined />} loading={revealing}>
              {t('members.profile.reveal')}
            </Button>
          </Popconfirm>
        ) : revealed ? (
          <Tag icon={<EyeOutlined />} color="orange" data-testid="revealed-tag">
            {t('members.profile.revealedTag')}
          </Tag>
        ) : (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            <LockOutlined /> {t('members.profile.masked')}
          </Typography.Text>
        )
      }
    >
      {revealed ? <Alert type="warning" showIcon title={t('members.profile.revealedNote')} style={{ marginBottom: 12 }} /> : null}
      {revealError ? <Alert type="error" showIcon role="alert" title={revealError} style={{ marginBottom: 12 }} /> : null}
      <Descriptions
        column={1}
        size="small"
        data-testid="member-profile"
        items={[
          { key: 'gender', label: t('members.fields.gender'), children: labels.gender(member.gender) },
          { key: 'birthday', label: t('members.fields.birthday'), children: member.birthday ?? empty },
          { key: 'language', label: t('members.fields.preferredLanguage'), children: labels.language(member.preferredLanguage) },
          { key: 'mobile', label: t('members.fields.mobile'), children: shown(revealed?.mobile, member.mobile) },
          { key: 'email', label: t('members.fields.email'), children: shown(revealed?.email, member.email) },
          { key: 'identity', label: t('members.fields.identity'), children: identity },
          { key: 'property', label: t('members.fields.propertyId'), children: property?.name ?? (member.propertyId ? '…' : empty) },
          { key: 'joined', label: t('members.fields.joinedAt'), children: formatInZone(member.joinedAt, timeZone) },
          { key: 'lastInteraction', label: t('members.fields.lastInteractionAt'), children: member.lastInteractionAt ? formatInZone(member.lastInteractionAt, timeZone) : t('members.noInteraction') },
          {
            key: 'notes',
            label: t('members.fields.notes'),
            children: member.notes ? <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{member.notes}</Typography.Paragraph> : empty,
          },
        ]}
      />
    </Card>
  );
}
