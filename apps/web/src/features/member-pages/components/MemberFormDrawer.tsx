import { Button, Checkbox, DatePicker, Drawer, Flex, Form, Input, Radio, Select, Switch, Typography, type FormInstance } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../session/session-context.ts';
import { FormErrorAlert } from '../../../components/FormErrorAlert.tsx';
import { isApiError, isRecord } from '../../../lib/api-error.ts';
import { dayjs } from '../../../lib/datetime.ts';
import { placeServerErrors } from '../../../lib/form-errors.ts';
import { i18n } from '../../../lib/i18n.ts';
import { useProperties } from '../../properties/index.ts';
import { type Gender, GENDERS, IDENTITY_TYPES, type IdentityType, LANGUAGES, type Member, type MemberInput, type PersonalData, type PreferredLanguage, useCreateMember, useMemberLabels, useUpdateMember } from '../../members/index.ts';

type Values = {
  lastName?: string;
  firstName?: string;
  gender: Gender;
  birthday?: dayjs.Dayjs | null;
  preferredLanguage: PreferredLanguage;
  email?: string;
  mobile?: string;
  identity: { type: IdentityType; number?: string; passportCountry?: string };
  marketingOptIn: boolean;
  notes?: string;
  propertyId?: string | null;
  clear?: { email?: boolean; mobile?: boolean; identity?: boolean };
};

const FIELDS = ['lastName', 'firstName', 'gender', 'birthday', 'preferredLanguage', 'email', 'mobile', 'identity', 'marketingOptIn', 'notes', 'propertyId'] as const;

export type MemberFormTarget = { mode: 'create' } | { mode: 'edit'; member: Member; revealed: PersonalData | undefined };

type Props = { target: MemberFormTarget | undefined; onClose: () => void; onSaved: (member: Member, mode: 'create' | 'edit') => void };

const isLanguage = (value: string): value is PreferredLanguage => (LANGUAGES as readonly string[]).includes(value);
const isIdentityType = (value: string | null | undefined): value is IdentityType => (IDENTITY_TYPES as readonly string[]).includes(value ?? '');
const trimmed = (value: string | undefined) => (value ?? '').trim();

/** A server message on a field goes once the field is edited (fields without rules keep errors set by setFields otherwise). */
function clearServerErrors(form: FormInstance, changed: Record<string, unknown>): void {
  const names = Object.entries(changed).flatMap(([key, value]) =>
    value && typeof value === 'object' && !Array.isArray(value) && !dayjs.isDayjs(value) ? Object.keys(value).map((inner) => [key, inner]) : [[key]],
  );
  form.setFields(names.filter((name) => form.getFieldError(name).length > 0).map((name) => ({ name, errors: [] })));
}

/**
 * Create a member, or edit every field of one. Contact details and the ID number come masked from the server: unless
 * the page has revealed them, their inputs start empty ("leave empty to keep") with a box to remove the stored value.
 */
export function MemberFormDrawer({ target, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const labels = useMemberLabels();
  const { me } = useSession();
  const [form] = Form.useForm<Values>();
  const properties = useProperties();
  const create = useCreateMember();
  const update = useUpdateMember();
  const [formError, setFormError] = useState<string>();
  const identityType = Form.useWatch(['identity', 'type'], form);
  const clear = Form.useWatch('clear', form);
  const open = target !== undefined;
  const member = target?.mode === 'edit' ? target.member : undefined;
  const revealed = target?.mode === 'edit' ? target.revealed : undefined;
  // Accounts limited to some properties only see members of those properties: a new member needs one.
  const propertyRequired = me.propertyIds !== 'all';

  useEffect(() => {
    if (!target) return;
    setFormError(undefined);
    form.resetFields();
    if (target.mode === 'create') {
      form.setFieldsValue({ gender: 'unknown', preferredLanguage: 'zh-TW', marketingOptIn: false, identity: { type: 'national_id' }, propertyId: propertyRequired && me.propertyIds !== 'all' && me.propertyIds.length === 1 ? me.propertyIds[0] : undefined });
      return;
    }
    const { member: current, revealed: plain } = target;
    form.setFieldsValue({
      lastName: current.lastName,
      firstName: current.firstName,
      gender: current.gender,
      birthday: current.birthday ? dayjs(current.birthday) : null,
      preferredLanguage: isLanguage(current.preferredLanguage) ? current.preferredLanguage : 'other',
      email: plain?.email ?? '',
      mobile: plain?.mobile ?? '',
      identity: {
        type: isIdentityType(current.identity?.type) ? current.identity.type : 'national_id',
        number: plain?.identity?.number ?? '',
        passportCountry: current.identity?.passportCountry ?? '',
      },
      marketingOptIn: current.marketingOptIn,
      notes: current.notes,
      propertyId: current.propertyId,
      clear: {},
    });
  }, [target, form, propertyRequired, me.propertyIds]);

  const onError = (error: unknown) => {
    if (!isApiError(error)) {
      setFormError(i18n.t('errors.unexpected'));
      return;
    }
    const { fieldErrors, unplaced } = placeServerErrors(error, FIELDS);
    // "This ID is already used" points at the identity as a whole; its number input is where it belongs, naming the holder.
    const holder = error.code === 'member.duplicate_identity' && isRecord(error.details) && typeof error.details.memberNo === 'string' ? error.details.memberNo : undefined;
    (form as FormInstance).setFields(
      fieldErrors.map((entry) =>
        entry.name.length === 1 && entry.name[0] === 'identity'
          ? { name: ['identity', 'number'], errors: holder ? entry.errors.map((message) => t('members.form.duplicateOf', { message, memberNo: holder })) : entry.errors }
          : entry,
      ),
    );
    setFormError(unplaced.length > 0 ? unplaced.join(' ') : undefined);
  };

  /** A masked field: the typed value, null to remove it, or nothing to keep what is stored. */
  const personal = (value: string | undefined, cleared: boolean | undefined, stored: string | null | undefined): string | null | undefined => {
    const text = trimmed(value);
    if (revealed) return text === (stored ?? '') ? undefined : text || null;
    if (cleared) return null;
    return text || undefined;
  };

  const submit = (values: Values) => {
    setFormError(undefined);
    const base: MemberInput = {
      lastName: trimmed(values.lastName),
      firstName: trimmed(values.firstName),
      gender: values.gender,
      birthday: values.birthday ? values.birthday.format('YYYY-MM-DD') : null,
      preferredLanguage: values.preferredLanguage,
      marketingOptIn: values.marketingOptIn,
      notes: values.notes ?? '',
      propertyId: values.propertyId ?? null,
    };
    const number = trimmed(values.identity?.number);
    const identity = number ? { type: values.identity.type, number, passportCountry: values.identity.type === 'passport' ? trimmed(values.identity.passportCountry).toUpperCase() || null : null } : undefined;

    if (target?.mode === 'edit') {
      const input: MemberInput = { ...base };
      const email = personal(values.email, values.clear?.email, revealed?.email);
      const mobile = personal(values.mobile, values.clear?.mobile, revealed?.mobile);
      if (email !== undefined) input.email = email;
      if (mobile !== undefined) input.mobile = mobile;
      if (identity && identity.number !== revealed?.identity?.number) input.identity = identity;
      else if (revealed ? !number && revealed.identity : values.clear?.identity) input.identity = null;
      update.mutate({ id: target.member.id, ...input }, { onSuccess: (saved) => onSaved(saved, 'edit'), onError });
      return;
    }
    const input: MemberInput = { ...base };
    // Consent is recorded with its time and source: a new member who did not opt in has no consent change to record.
    if (!input.marketingOptIn) delete input.marketingOptIn;
    if (!input.birthday) delete input.birthday;
    if (!input.propertyId) delete input.propertyId;
    const email = trimmed(values.email);
    const mobile = trimmed(values.mobile);
    if (email) input.email = email;
    if (mobile) input.mobile = mobile;
    if (identity) input.identity = identity;
    create.mutate(input, { onSuccess: (saved) => onSaved(saved, 'create'), onError });
  };

  /** Help under a masked field in edit mode. */
  const keepHelp = (stored: string | null | undefined) => (member && !revealed && stored ? t('members.form.keepMasked', { value: stored }) : undefined);
  const clearBox = (field: 'email' | 'mobile' | 'identity', stored: unknown) =>
    member && !revealed && stored ? (
      <Form.Item name={['clear', field]} valuePropName="checked" style={{ marginTop: -16 }}>
        <Checkbox>{t(`members.form.remove.${field}`)}</Checkbox>
      </Form.Item>
    ) : null;

  return (
    <Drawer
      open={open}
      title={member ? t('members.form.editTitle', { memberNo: member.memberNo }) : t('members.form.createTitle')}
      size={560}
      onClose={onClose}
      forceRender
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" onClick={() => form.submit()} loading={create.isPending || update.isPending} data-testid="member-form-submit">
            {member ? t('common.save') : t('members.form.createSubmit')}
          </Button>
        </Flex>
      }
    >
      <Form<Values> form={form} name="member" layout="vertical" onFinish={submit} onValuesChange={(changed) => clearServerErrors(form, changed)}>
        <Flex gap={12}>
          <Form.Item name="lastName" label={t('members.fields.lastName')} style={{ flex: 1 }}>
            <Input maxLength={100} autoComplete="off" />
          </Form.Item>
          <Form.Item name="firstName" label={t('members.fields.firstName')} style={{ flex: 1 }}>
            <Input maxLength={100} autoComplete="off" />
          </Form.Item>
        </Flex>
        <Flex gap={12}>
          <Form.Item name="gender" label={t('members.fields.gender')} style={{ flex: 1 }}>
            <Select options={GENDERS.map((value) => ({ value, label: labels.gender(value) }))} />
          </Form.Item>
          <Form.Item name="birthday" label={t('members.fields.birthday')} style={{ flex: 1 }}>
            <DatePicker style={{ width: '100%' }} disabledDate={(date) => date.isAfter(dayjs(), 'day')} />
          </Form.Item>
        </Flex>
        <Form.Item name="preferredLanguage" label={t('members.fields.preferredLanguage')}>
          <Select options={LANGUAGES.map((value) => ({ value, label: labels.language(value) }))} />
        </Form.Item>
        <Form.Item name="email" label={t('members.fields.email')} extra={keepHelp(member?.email)} rules={[{ type: 'email', message: t('validation.email') }]}>
          <Input type="email" autoComplete="off" disabled={Boolean(clear?.email)} placeholder={member && !revealed ? (member.email ?? undefined) : 'guest@example.com'} />
        </Form.Item>
        {clearBox('email', member?.email)}
        <Form.Item name="mobile" label={t('members.fields.mobile')} extra={keepHelp(member?.mobile) ?? t('members.form.mobileHelp')}>
          <Input type="tel" autoComplete="off" disabled={Boolean(clear?.mobile)} placeholder={member && !revealed ? (member.mobile ?? undefined) : '0912-345-678'} />
        </Form.Item>
        {clearBox('mobile', member?.mobile)}
        <fieldset style={{ border: 0, margin: 0, padding: 0 }}>
          <legend style={{ fontSize: 14, marginBottom: 8, border: 0 }}>{t('members.fields.identity')}</legend>
          <Form.Item name={['identity', 'type']} label={t('members.fields.identityType')}>
            <Radio.Group disabled={Boolean(clear?.identity)} options={IDENTITY_TYPES.map((value) => ({ value, label: labels.identityType(value) }))} />
          </Form.Item>
          <Flex gap={12}>
            <Form.Item
              name={['identity', 'number']}
              label={t('members.fields.identityNumber')}
              extra={keepHelp(member?.identity?.masked) ?? t('members.form.identityHelp')}
              style={{ flex: 2 }}
            >
              <Input maxLength={64} autoComplete="off" disabled={Boolean(clear?.identity)} placeholder={member?.identity && !revealed ? member.identity.masked : identityType === 'passport' ? 'X12345678' : 'A123456789'} />
            </Form.Item>
            {identityType === 'passport' ? (
              <Form.Item name={['identity', 'passportCountry']} label={t('members.fields.passportCountry')} extra={t('members.form.passportCountryHelp')} style={{ flex: 1 }}>
                <Input maxLength={3} autoComplete="off" style={{ textTransform: 'uppercase' }} placeholder="JPN" />
              </Form.Item>
            ) : null}
          </Flex>
          {clearBox('identity', member?.identity)}
        </fieldset>
        <Form.Item name="marketingOptIn" label={t('members.fields.marketingOptIn')} valuePropName="checked" extra={t('members.form.optInHelp')}>
          <Switch checkedChildren={t('members.optIn.yes')} unCheckedChildren={t('members.optIn.no')} />
        </Form.Item>
        <Form.Item
          name="propertyId"
          label={t('members.fields.propertyId')}
          rules={propertyRequired ? [{ required: true, message: t('members.form.propertyRequired') }] : []}
          extra={propertyRequired ? t('members.form.propertyScopeHelp') : undefined}
        >
          <Select
            allowClear={!propertyRequired}
            loading={properties.isPending}
            placeholder={t('members.form.noProperty')}
            options={(properties.data ?? []).map((property) => ({ value: property.id, label: property.name }))}
          />
        </Form.Item>
        <Form.Item name="notes" label={t('members.fields.notes')}>
          <Input.TextArea maxLength={5000} autoSize={{ minRows: 3, maxRows: 8 }} />
        </Form.Item>
        {member ? (
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            {t('members.form.historyNote')}
          </Typography.Paragraph>
        ) : null}
        <FormErrorAlert message={formError} />
      </Form>
    </Drawer>
  );
}
