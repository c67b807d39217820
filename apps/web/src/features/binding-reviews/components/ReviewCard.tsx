import { CheckCircleFilled, LinkOutlined, StopOutlined, UserAddOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Descriptions, Empty, Flex, Row, Tag, Tooltip, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useSession } from '../../../session/session-context.ts';
import { errorMessageOf } from '../../../components/error-message.ts';
import { formatInZone } from '../../../lib/datetime.ts';
import { useCreateFromReview, useDismissReview, useLinkReview, type BindingReview, type ReviewCandidate } from '../api.ts';
import { splitIdentity } from '../submitted.ts';
import { useIdentityTypeLabel } from '../labels.ts';

function text(value: string | boolean | null | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A value, with a mark when it equals what the guest typed (compared as masked, which is how both are shown). */
function Compared({ value, submitted }: { value: string | null | undefined; submitted: string | undefined }) {
  const { t } = useTranslation();
  if (!value) return <Typography.Text type="secondary">—</Typography.Text>;
  const same = submitted !== undefined && submitted === value;
  return (
    <Flex gap={6} align="center" wrap>
      <span>{value}</span>
      {same ? (
        <Tooltip title={t('bindingReviews.sameHelp')}>
          <Tag color="success" icon={<CheckCircleFilled />} style={{ marginInlineEnd: 0 }} data-testid="binding-same">
            {t('bindingReviews.same')}
          </Tag>
        </Tooltip>
      ) : null}
    </Flex>
  );
}

/** One open binding: what the guest submitted next to each member it could belong to, and the three ways out. */
export function ReviewCard({ review }: { review: BindingReview }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const identityLabel = useIdentityTypeLabel();
  const link = useLinkReview();
  const create = useCreateFromReview();
  const dismiss = useDismissReview();
  const [refusal, setRefusal] = useState<string>();
  // Candidates outside this account's properties: it cannot weigh them, so the server refuses every way out (decision 0006).
  const outOfScope = review.hiddenCandidates > 0;
  const busy = link.isPending || create.isPending || dismiss.isPending || outOfScope;
  const guest = review.lineDisplayName || t('bindingReviews.unnamedGuest');

  const submitted = review.submitted;
  const submittedName = text(submitted.name);
  const submittedIdentity = splitIdentity(submitted.identity);
  // Toasts render outside the router: the link navigates through this page's navigate function.
  const done = (memberNo: string, memberId: string, key: 'linkedToast' | 'createdToast') =>
    void message.success(
      <span>
        {t(`bindingReviews.${key}`, { guest, memberNo })}{' '}
        <Typography.Link onClick={() => void navigate(`/members/${memberId}`)}>{t('bindingReviews.openMember')}</Typography.Link>
      </span>,
    );

  const confirmLink = (candidate: ReviewCandidate) =>
    void modal.confirm({
      title: t('bindingReviews.linkTitle', { guest, memberNo: candidate.memberNo }),
      content: t('bindingReviews.linkBody'),
      okText: t('bindingReviews.link'),
      cancelText: t('common.cancel'),
      onOk: () =>
        link.mutateAsync({ reviewId: review.id, memberId: candidate.id }).then(
          (resolved) => done(resolved.memberNo, resolved.memberId, 'linkedToast'),
          (error: unknown) => void message.error(errorMessageOf(error)),
        ),
    });

  const confirmCreate = () =>
    void modal.confirm({
      title: t('bindingReviews.createTitle', { guest }),
      content: t('bindingReviews.createBody'),
      okText: t('bindingReviews.create'),
      cancelText: t('common.cancel'),
      onOk: () => {
        setRefusal(undefined);
        return create.mutateAsync(review.id).then(
          (resolved) => done(resolved.memberNo, resolved.memberId, 'createdToast'),
          // e.g. the ID or passport already belongs to another member: link instead.
          (error: unknown) => setRefusal(errorMessageOf(error)),
        );
      },
    });

  const confirmDismiss = () =>
    void modal.confirm({
      title: t('bindingReviews.dismissTitle', { guest }),
      content: t('bindingReviews.dismissBody'),
      okText: t('bindingReviews.dismiss'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        dismiss.mutateAsync(review.id).then(
          () => void message.success(t('bindingReviews.dismissedToast', { guest })),
          (error: unknown) => void message.error(errorMessageOf(error)),
        ),
    });

  const rows: Array<{ key: string; label: string; submitted: ReactNode; candidate: (c: ReviewCandidate) => ReactNode }> = [
    {
      key: 'name',
      label: t('bindingReviews.fields.name'),
      submitted: submittedName ?? '—',
      candidate: (c) => <Compared value={`${c.lastName}${c.firstName}`} submitted={submittedName} />,
    },
    {
      key: 'mobile',
      label: t('bindingReviews.fields.mobile'),
      submitted: text(submitted.mobile) ?? '—',
      candidate: (c) => <Compared value={c.mobile} submitted={text(submitted.mobile)} />,
    },
    {
      key: 'email',
      label: t('bindingReviews.fields.email'),
      submitted: text(submitted.email) ?? '—',
      candidate: (c) => <Compared value={c.email} submitted={text(submitted.email)} />,
    },
    {
      key: 'identity',
      label: t('bindingReviews.fields.identity'),
      submitted: submittedIdentity ? `${identityLabel(submittedIdentity.type)} ${submittedIdentity.masked}` : '—',
      candidate: (c) =>
        c.identity ? (
          <Flex gap={4} wrap align="center">
            <span>{identityLabel(c.identity.type)}</span>
            <Compared value={c.identity.masked} submitted={submittedIdentity?.masked} />
          </Flex>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
  ];

  return (
    <Card
      data-testid="binding-review"
      title={
        <Flex gap={8} align="center" wrap>
          <Typography.Text strong data-testid="binding-review-guest">
            {guest}
          </Typography.Text>
          <Tooltip title={t(`bindingReviews.reasons.${review.reason}Help`)}>
            <Tag color={review.reason === 'ambiguous' ? 'gold' : 'volcano'} data-testid="binding-review-reason">
              {t(`bindingReviews.reasons.${review.reason}`)}
            </Tag>
          </Tooltip>
        </Flex>
      }
      extra={<Typography.Text type="secondary">{t('bindingReviews.submittedAt', { time: formatInZone(review.createdAt, me.tenant.timezone) })}</Typography.Text>}
    >
      <Typography.Paragraph type="secondary">{t(`bindingReviews.reasons.${review.reason}Help`)}</Typography.Paragraph>
      {outOfScope ? (
        <Alert type="warning" showIcon title={t('bindingReviews.hiddenCandidates', { count: review.hiddenCandidates })} style={{ marginBottom: 16 }} data-testid="binding-hidden-candidates" />
      ) : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('bindingReviews.submitted')} style={{ height: '100%', background: '#fafafa' }} data-testid="binding-submitted">
            <Descriptions
              size="small"
              column={1}
              items={[
                ...rows.map((row) => ({ key: row.key, label: row.label, children: row.submitted })),
                { key: 'birthday', label: t('bindingReviews.fields.birthday'), children: text(submitted.birthday) ?? '—' },
                { key: 'optIn', label: t('bindingReviews.fields.marketingOptIn'), children: submitted.marketingOptIn === true ? t('bindingReviews.yes') : submitted.marketingOptIn === false ? t('bindingReviews.no') : t('bindingReviews.unchanged') },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={16}>
          {review.candidates.length === 0 && !outOfScope ? (
            <Empty description={t('bindingReviews.noCandidates')} />
          ) : (
            <Flex gap={16} wrap>
              {review.candidates.map((candidate) => (
                <Card
                  key={candidate.id}
                  size="small"
                  data-testid="binding-candidate"
                  style={{ flex: '1 1 240px', minWidth: 240 }}
                  title={
                    <Link to={`/members/${candidate.id}`} data-testid="binding-candidate-link">
                      {candidate.memberNo}
                    </Link>
                  }
                  actions={[
                    <Button key="link" type="link" icon={<LinkOutlined />} disabled={busy} onClick={() => confirmLink(candidate)} data-testid="binding-link">
                      {t('bindingReviews.link')}
                    </Button>,
                  ]}
                >
                  <Descriptions size="small" column={1} items={rows.map((row) => ({ key: row.key, label: row.label, children: row.candidate(candidate) }))} />
                </Card>
              ))}
            </Flex>
          )}
        </Col>
      </Row>
      {refusal ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={refusal}
          description={t('bindingReviews.createRefusedHint')}
          style={{ marginTop: 16 }}
          closable={{ onClose: () => setRefusal(undefined) }}
          data-testid="binding-create-refused"
        />
      ) : null}
      <Flex gap={8} wrap justify="flex-end" style={{ marginTop: 16 }}>
        <Button icon={<StopOutlined />} disabled={busy} onClick={confirmDismiss} data-testid="binding-dismiss">
          {t('bindingReviews.dismiss')}
        </Button>
        <Button icon={<UserAddOutlined />} disabled={busy} onClick={confirmCreate} data-testid="binding-create">
          {t('bindingReviews.create')}
        </Button>
      </Flex>
    </Card>
  );
}
