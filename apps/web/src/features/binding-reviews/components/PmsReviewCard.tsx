import { CheckOutlined, LinkOutlined, StopOutlined } from '@ant-design/icons';
import { DEFAULT_LOCALE } from '@innkeeper/contracts';
import { App, Button, Card, Checkbox, Col, Descriptions, Flex, Row, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorMessageOf } from '../../../components/error-message.ts';
import { formatInZone } from '../../../lib/datetime.ts';
import { humanizeCode } from '../../../lib/labels.ts';
import { useSession } from '../../../session/session-context.ts';
import { useIdentityTypeLabel } from '../labels.ts';
import { useLinkPmsReview, useRejectPmsReview, type PmsProfile, type PmsReview } from '../pms-api.ts';

/** A match reason's words (pms.reasons), readable when the page does not know the code yet. */
export function useReasonLabel() {
  const { i18n } = useTranslation();
  return (code: string) => {
    for (const language of [i18n.language, DEFAULT_LOCALE]) {
      const value: unknown = i18n.getResource(language, 'translation', `pms.reasons.${code}`);
      if (typeof value === 'string') return value;
    }
    return humanizeCode(code);
  };
}

function ProfileBlock({ profile, picked, onPick, memberId }: { profile: PmsProfile; picked: boolean; onPick: (on: boolean) => void; memberId: string }) {
  const { t } = useTranslation();
  const elsewhere = profile.linkedMemberId !== null && profile.linkedMemberId !== memberId;
  return (
    <Card size="small" type="inner" data-testid="pms-review-profile">
      <Checkbox checked={picked} disabled={elsewhere} onChange={(e) => onPick(e.target.checked)} data-testid="pms-review-pick">
        <Typography.Text code>{t('pmsReviews.profile', { code: profile.gcustCod })}</Typography.Text>
      </Checkbox>
      {elsewhere ? <Tag color="red">{t('pmsReviews.linkedElsewhere')}</Tag> : null}
      <Descriptions
        size="small"
        column={1}
        style={{ marginTop: 8 }}
        items={[
          { key: 'reg', label: t('pmsReviews.registeredName'), children: profile.registeredName ?? '—' },
          { key: 'booked', label: t('pmsReviews.bookedName'), children: profile.bookedName ?? '—' },
          { key: 'mobiles', label: t('pmsReviews.mobiles'), children: profile.mobiles.length > 0 ? profile.mobiles.join(t('members.listSeparator')) : '—' },
          { key: 'id', label: t('pmsReviews.identity'), children: profile.identity?.masked ?? '—' },
          { key: 'birth', label: t('pmsReviews.birthDate'), children: profile.birthDate ?? '—' },
          { key: 'stays', label: t('pmsReviews.stays'), children: profile.stays > 0 ? t('pmsReviews.staysValue', { count: profile.stays, last: profile.lastStay }) : t('pmsReviews.noStays') },
        ]}
      />
    </Card>
  );
}

/**
 * One PMS match to decide, laid out like a LINE binding review: the member on the left, each candidate guest (a
 * person: one or more PMS profiles) on the right. Staff link all of a candidate's profiles, only the ticked ones, or
 * say none is this member.
 */
export function PmsReviewCard({ review }: { review: PmsReview }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const { message, modal } = App.useApp();
  const identityLabel = useIdentityTypeLabel();
  const reasonLabel = useReasonLabel();
  const link = useLinkPmsReview();
  const reject = useRejectPmsReview();
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const busy = link.isPending || reject.isPending;
  const member = review.member;
  const name = `${member.lastName}${member.firstName}`;

  // The confirm's button repeats what was clicked: "link all" must not read as "link the ticked ones".
  const confirmLink = (profileIds: string[], okText: string) =>
    void modal.confirm({
      title: t('pmsReviews.linkTitle', { memberNo: member.memberNo }),
      content: t('pmsReviews.linkBody'),
      okText,
      cancelText: t('common.cancel'),
      onOk: () =>
        link.mutateAsync({ caseId: review.id, profileIds }).then(
          () => void message.success(t('pmsReviews.linkedToast', { memberNo: member.memberNo })),
          (error: unknown) => void message.error(errorMessageOf(error)),
        ),
    });
  const confirmReject = () =>
    void modal.confirm({
      title: t('pmsReviews.rejectTitle', { memberNo: member.memberNo }),
      content: t('pmsReviews.rejectBody'),
      okText: t('pmsReviews.reject'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        reject.mutateAsync(review.id).then(
          () => void message.success(t('pmsReviews.rejectedToast')),
          (error: unknown) => void message.error(errorMessageOf(error)),
        ),
    });
  const toggle = (id: string, on: boolean) =>
    setPicked((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <Card
      data-testid="pms-review"
      title={
        <Flex gap={8} align="center" wrap>
          <Link to={`/members/${member.id}`} data-testid="pms-review-member">
            {member.memberNo} {name}
          </Link>
          {review.reasons.map((reason) => (
            <Tag key={reason} color="gold" data-testid="pms-review-reason">
              {reasonLabel(reason)}
            </Tag>
          ))}
        </Flex>
      }
      extra={<Typography.Text type="secondary">{formatInZone(review.createdAt, me.tenant.timezone)}</Typography.Text>}
    >
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('pmsReviews.member')} style={{ height: '100%', background: '#fafafa' }}>
            <Descriptions
              size="small"
              column={1}
              items={[
                { key: 'name', label: t('bindingReviews.fields.name'), children: name || '—' },
                { key: 'mobile', label: t('bindingReviews.fields.mobile'), children: member.mobile ?? '—' },
                { key: 'email', label: t('bindingReviews.fields.email'), children: member.email ?? '—' },
                { key: 'identity', label: t('bindingReviews.fields.identity'), children: member.identity ? `${identityLabel(member.identity.type)} ${member.identity.masked}` : '—' },
                { key: 'birthday', label: t('bindingReviews.fields.birthday'), children: member.birthday ?? '—' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={16}>
          <Flex gap={16} wrap>
            {review.candidates.map((candidate, index) => {
              const free = candidate.profiles.filter((p) => p.linkedMemberId === null || p.linkedMemberId === member.id).map((p) => p.gcustCod);
              return (
                <Card
                  key={candidate.personId}
                  size="small"
                  style={{ flex: '1 1 280px', minWidth: 280 }}
                  title={t('pmsReviews.candidate', { n: index + 1 })}
                  data-testid="pms-review-candidate"
                  actions={[
                    <Tooltip key="all" title={t('pmsReviews.linkBody')}>
                      <Button type="link" icon={<LinkOutlined />} disabled={busy || free.length === 0} onClick={() => confirmLink(free, t('pmsReviews.linkAll'))} data-testid="pms-review-link-all">
                        {t('pmsReviews.linkAll')}
                      </Button>
                    </Tooltip>,
                  ]}
                >
                  <Flex vertical gap={8}>
                    {candidate.profiles.map((profile) => (
                      <ProfileBlock key={profile.gcustCod} profile={profile} memberId={member.id} picked={picked.has(profile.gcustCod)} onPick={(on) => toggle(profile.gcustCod, on)} />
                    ))}
                  </Flex>
                </Card>
              );
            })}
          </Flex>
        </Col>
      </Row>
      <Flex gap={8} wrap justify="flex-end" style={{ marginTop: 16 }}>
        <Button icon={<StopOutlined />} disabled={busy} onClick={confirmReject} data-testid="pms-review-reject">
          {t('pmsReviews.reject')}
        </Button>
        <Button type="primary" icon={<CheckOutlined />} disabled={busy || picked.size === 0} onClick={() => confirmLink([...picked], t('pmsReviews.linkPicked'))} data-testid="pms-review-link-picked">
          {t('pmsReviews.linkPicked')}
        </Button>
      </Flex>
    </Card>
  );
}
