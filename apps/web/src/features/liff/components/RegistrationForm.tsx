import { IDENTITY_TYPES } from '@innkeeper/contracts';
import { useState, type ChangeEvent, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError, isRecord } from '../../../lib/api-error.ts';
import { useCountdown } from '../../../lib/use-countdown.ts';
import type { PortalSettings, RegistrationField } from '../../member-portal/index.ts';
import type { BindInput, BindResult, GuestApi, IdentityType } from '../api.ts';

const RESEND_SECONDS = 60;

type Values = {
  lastName: string;
  firstName: string;
  identityType: IdentityType;
  identityNumber: string;
  passportCountry: string;
  email: string;
  birthday: string;
  mobile: string;
  code: string;
  marketingOptIn: boolean;
};
type FieldKey = keyof Values;
type Errors = Partial<Record<FieldKey, string>>;

/** Element ids, which are also the test ids. */
const IDS: Record<FieldKey, string> = {
  lastName: 'liff-last-name',
  firstName: 'liff-first-name',
  identityType: 'liff-identity-type',
  identityNumber: 'liff-identity-number',
  passportCountry: 'liff-passport-country',
  email: 'liff-email',
  birthday: 'liff-birthday',
  mobile: 'liff-mobile',
  code: 'liff-code',
  marketingOptIn: 'liff-opt-in',
};
const ORDER: readonly FieldKey[] = ['lastName', 'firstName', 'identityType', 'identityNumber', 'passportCountry', 'email', 'birthday', 'mobile', 'code', 'marketingOptIn'];

/** Server field paths (request.validation issues, details.field, liff.missing_fields) → this form's fields. */
const SERVER_PATHS: Record<string, FieldKey> = {
  lastName: 'lastName',
  firstName: 'firstName',
  mobile: 'mobile',
  identity: 'identityNumber',
  'identity.number': 'identityNumber',
  'identity.type': 'identityType',
  'identity.passportCountry': 'passportCountry',
  email: 'email',
  birthday: 'birthday',
  code: 'code',
  marketingOptIn: 'marketingOptIn',
};

const EMPTY: Values = { lastName: '', firstName: '', identityType: 'national_id', identityNumber: '', passportCountry: '', email: '', birthday: '', mobile: '', code: '', marketingOptIn: false };

type Props = { settings: PortalSettings; hotelName: string; api: GuestApi; onBound: (result: BindResult) => void; onExpired: () => void };

/** 加入會員: exactly the fields the hotel enabled, the mobile confirmed by an SMS code, then the binding. */
export function RegistrationForm({ settings, hotelName, api, onBound, onExpired }: Props) {
  const { t } = useTranslation();
  const fields = settings.registration;
  const [values, setValues] = useState<Values>(EMPTY);
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string>();
  const [codeSentTo, setCodeSentTo] = useState<string>();
  const [codeMinutes, setCodeMinutes] = useState(5);
  const [sending, setSending] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const { remaining, restart } = useCountdown(0);

  const set =
    (key: FieldKey) =>
    (event: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
      const value = event.target instanceof HTMLInputElement && event.target.type === 'checkbox' ? event.target.checked : event.target.value;
      setValues((previous) => ({ ...previous, [key]: value }));
      setErrors((previous) => (previous[key] ? { ...previous, [key]: undefined } : previous));
    };

  const focusFirst = (found: Errors) => {
    const first = ORDER.find((key) => found[key]);
    if (first) document.getElementById(IDS[first])?.focus();
  };

  /** Puts a server refusal under the field it concerns; the rest above the button. */
  const showServerError = (error: unknown) => {
    if (isApiError(error) && error.code === 'liff.invalid_token') {
      onExpired();
      return;
    }
    if (!isApiError(error)) {
      setFormError(t('liff.errors.unexpected'));
      return;
    }
    const found: Errors = {};
    const general: string[] = [];
    const place = (path: string, message: string) => {
      const key = SERVER_PATHS[path];
      if (key) found[key] ??= message;
      else general.push(message);
    };
    if (error.issues.length > 0) {
      error.issues.forEach((issue) => place(issue.path, issue.message));
    } else if (error.code === 'liff.missing_fields') {
      const missing = isRecord(error.details) && Array.isArray(error.details.fields) ? error.details.fields : [];
      missing.forEach((path) => typeof path === 'string' && place(path, t('liff.form.required')));
      if (missing.length === 0) general.push(error.message);
    } else if (error.code === 'liff.wrong_code') {
      const left = error.numberDetail('attemptsLeft');
      found.code = left === undefined ? error.message : `${error.message} ${t('liff.form.attemptsLeft', { count: left })}`;
    } else if (error.code === 'liff.code_expired') {
      found.code = `${error.message} ${t('liff.form.requestNewCode')}`;
    } else if (error.code === 'liff.too_many_codes') {
      const seconds = error.numberDetail('retryAfterSeconds');
      if (seconds !== undefined && seconds <= RESEND_SECONDS) restart(seconds);
      found.mobile = seconds === undefined ? error.message : `${error.message} ${seconds <= 90 ? t('liff.form.retryInSeconds', { count: seconds }) : t('liff.form.retryInMinutes', { count: Math.ceil(seconds / 60) })}`;
    } else if (error.field) {
      place(error.field, error.message);
    } else {
      general.push(error.message);
    }
    setErrors(found);
    setFormError(general.length > 0 ? general.join(' ') : undefined);
    focusFirst(found);
  };

  const sendCode = async () => {
    setFormError(undefined);
    const mobile = values.mobile.trim();
    if (!mobile) {
      const found = { mobile: t('liff.form.mobileFirst') };
      setErrors((previous) => ({ ...previous, ...found }));
      focusFirst(found);
      return;
    }
    setSending(true);
    try {
      const { expiresInSeconds } = await api.requestCode(mobile);
      setCodeSentTo(mobile);
      setCodeMinutes(Math.max(1, Math.round(expiresInSeconds / 60)));
      setErrors((previous) => ({ ...previous, mobile: undefined, code: undefined }));
      restart(RESEND_SECONDS);
      document.getElementById(IDS.code)?.focus();
    } catch (error) {
      showServerError(error);
    } finally {
      setSending(false);
    }
  };

  const validate = (): Errors => {
    const found: Errors = {};
    const required = t('liff.form.required');
    if (fields.name.enabled && fields.name.required && !values.lastName.trim() && !values.firstName.trim()) found.lastName = t('liff.form.nameRequired');
    if (fields.identity.enabled && fields.identity.required && !values.identityNumber.trim()) found.identityNumber = required;
    if (fields.email.enabled) {
      if (fields.email.required && !values.email.trim()) found.email = required;
      else if (values.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email.trim())) found.email = t('liff.form.emailInvalid');
    }
    if (fields.birthday.enabled && fields.birthday.required && !values.birthday) found.birthday = required;
    if (!values.mobile.trim()) found.mobile = required;
    if (!codeSentTo) found.code = t('liff.form.codeNotSent');
    else if (!/^\d{6}$/.test(values.code.trim())) found.code = t('liff.form.codeFormat');
    return found;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(undefined);
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirst(found);
      return;
    }
    const number = values.identityNumber.trim();
    const input: BindInput = {
      ...(fields.name.enabled ? { lastName: values.lastName.trim(), firstName: values.firstName.trim() } : {}),
      mobile: values.mobile.trim(),
      ...(fields.identity.enabled && number
        ? { identity: { type: values.identityType, number, ...(values.identityType === 'passport' && values.passportCountry.trim() ? { passportCountry: values.passportCountry.trim().toUpperCase() } : {}) } }
        : {}),
      ...(fields.email.enabled && values.email.trim() ? { email: values.email.trim() } : {}),
      ...(fields.birthday.enabled && values.birthday ? { birthday: values.birthday } : {}),
      // Consent is the guest's to give: sent only when the box is ticked at submission. Left as shown (unticked, or
      // ticked and unticked again) it keeps what a member already chose (the member area then shows it, and is where
      // offers are turned off) instead of recording a withdrawal nobody made.
      ...(values.marketingOptIn ? { marketingOptIn: true } : {}),
      code: values.code.trim(),
    };
    setSubmitting(true);
    try {
      onBound(await api.bind(input));
    } catch (error) {
      showServerError(error);
    } finally {
      setSubmitting(false);
    }
  };

  const describedBy = (key: FieldKey, hint?: string) => [errors[key] ? `${IDS[key]}-error` : undefined, hint].filter(Boolean).join(' ') || undefined;
  const error = (key: FieldKey) =>
    errors[key] ? (
      <p className="liff-error-text" id={`${IDS[key]}-error`} data-testid={`${IDS[key]}-error`}>
        {errors[key]}
      </p>
    ) : null;
  const label = (key: FieldKey, text: string, field: RegistrationField | 'always' | 'optional') => {
    const required = field === 'always' || (field !== 'optional' && fields[field].required);
    return (
      <label htmlFor={IDS[key]}>
        {text}
        {required ? (
          <span className="liff-required" aria-hidden="true">
            *
          </span>
        ) : (
          <span className="liff-optional">{t('liff.form.optional')}</span>
        )}
      </label>
    );
  };
  const input = (key: Exclude<FieldKey, 'marketingOptIn' | 'identityType'>, props: Record<string, string | number | boolean | undefined>, hint?: string): ReactNode => (
    <input
      id={IDS[key]}
      name={key}
      data-testid={IDS[key]}
      className="liff-input"
      value={values[key]}
      onChange={set(key)}
      aria-invalid={errors[key] ? true : undefined}
      aria-describedby={describedBy(key, hint)}
      {...props}
    />
  );
  const mobileChanged = codeSentTo !== undefined && codeSentTo !== values.mobile.trim();

  return (
    <section className="liff-section" aria-labelledby="liff-register-title">
      <h2 id="liff-register-title">{t('liff.form.title')}</h2>
      <p className="liff-muted" style={{ marginTop: 0 }}>
        {t('liff.form.requiredNote')}
      </p>
      <form noValidate onSubmit={(event) => void submit(event)} data-testid="liff-register-form">
        {fields.name.enabled ? (
          <div className="liff-field">
            <div className="liff-row">
              <div>
                {label('lastName', t('liff.form.lastName'), 'name')}
                {input('lastName', { autoComplete: 'family-name', maxLength: 100, 'aria-required': fields.name.required })}
              </div>
              <div>
                {label('firstName', t('liff.form.firstName'), 'name')}
                {input('firstName', { autoComplete: 'given-name', maxLength: 100, 'aria-required': fields.name.required })}
              </div>
            </div>
            {error('lastName')}
            {error('firstName')}
          </div>
        ) : null}

        {fields.identity.enabled ? (
          <div className="liff-field">
            {label('identityNumber', t('liff.form.identity'), 'identity')}
            <div className="liff-row">
              <select
                id={IDS.identityType}
                data-testid={IDS.identityType}
                className="liff-select"
                value={values.identityType}
                onChange={set('identityType')}
                aria-label={t('liff.form.identityType')}
                style={{ flex: '0 0 40%' }}
              >
                {IDENTITY_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {t(`liff.identityTypes.${type}`)}
                  </option>
                ))}
              </select>
              {input('identityNumber', { autoComplete: 'off', autoCapitalize: 'characters', spellCheck: false, maxLength: 64, 'aria-required': fields.identity.required, placeholder: values.identityType === 'passport' ? '' : 'A123456789' }, 'liff-identity-hint')}
            </div>
            <p className="liff-hint" id="liff-identity-hint">
              {t('liff.form.identityHint')}
            </p>
            {error('identityType')}
            {error('identityNumber')}
            {values.identityType === 'passport' ? (
              <div style={{ marginTop: 12 }}>
                {label('passportCountry', t('liff.form.passportCountry'), 'optional')}
                {input('passportCountry', { autoComplete: 'country', autoCapitalize: 'characters', maxLength: 3, placeholder: 'TWN' }, 'liff-passport-hint')}
                <p className="liff-hint" id="liff-passport-hint">
                  {t('liff.form.passportCountryHint')}
                </p>
                {error('passportCountry')}
              </div>
            ) : null}
          </div>
        ) : null}

        {fields.email.enabled ? (
          <div className="liff-field">
            {label('email', t('liff.form.email'), 'email')}
            {input('email', { type: 'email', inputMode: 'email', autoComplete: 'email', maxLength: 320, 'aria-required': fields.email.required })}
            {error('email')}
          </div>
        ) : null}

        {fields.birthday.enabled ? (
          <div className="liff-field">
            {label('birthday', t('liff.form.birthday'), 'birthday')}
            {input('birthday', { type: 'date', autoComplete: 'bday', min: '1900-01-01', max: new Date().toISOString().slice(0, 10), 'aria-required': fields.birthday.required })}
            {error('birthday')}
          </div>
        ) : null}

        <div className="liff-field">
          {label('mobile', t('liff.form.mobile'), 'always')}
          <div className="liff-row">
            {input('mobile', { type: 'tel', inputMode: 'tel', autoComplete: 'tel', maxLength: 30, placeholder: '0912345678', 'aria-required': true }, 'liff-mobile-hint')}
            <button type="button" className="liff-button liff-button-secondary" onClick={() => void sendCode()} disabled={sending || remaining > 0} data-testid="liff-send-code">
              {remaining > 0 ? t('liff.form.resendIn', { count: remaining }) : codeSentTo ? t('liff.form.resend') : t('liff.form.sendCode')}
            </button>
          </div>
          <p className="liff-hint" id="liff-mobile-hint" aria-live="polite" data-testid="liff-code-sent" data-sent={codeSentTo ? 'yes' : 'no'}>
            {codeSentTo ? (mobileChanged ? t('liff.form.mobileChanged') : t('liff.form.codeSent', { mobile: codeSentTo, minutes: codeMinutes })) : t('liff.form.mobileHint')}
          </p>
          {error('mobile')}
        </div>

        <div className="liff-field">
          {label('code', t('liff.form.code'), 'always')}
          {input('code', { inputMode: 'numeric', autoComplete: 'one-time-code', maxLength: 6, pattern: '[0-9]*', 'aria-required': true })}
          {error('code')}
        </div>

        <div className="liff-field">
          <label className="liff-check" htmlFor={IDS.marketingOptIn}>
            <input
              id={IDS.marketingOptIn}
              data-testid={IDS.marketingOptIn}
              type="checkbox"
              checked={values.marketingOptIn}
              aria-describedby="liff-opt-in-hint"
              onChange={set('marketingOptIn')}
            />
            <span>{t('liff.form.optIn', { hotel: hotelName })}</span>
          </label>
          <p className="liff-hint" id="liff-opt-in-hint">
            {t('liff.form.optInKept')}
          </p>
        </div>

        {formError ? (
          <div className="liff-alert liff-alert-error" role="alert" data-testid="liff-form-error">
            {formError}
          </div>
        ) : null}
        <button type="submit" className="liff-button liff-button-primary" disabled={submitting} data-testid="liff-submit">
          {submitting ? t('liff.form.submitting') : t('liff.form.submit')}
        </button>
        <p className="liff-hint">{t('liff.form.privacy')}</p>
      </form>
    </section>
  );
}
