import { z } from 'zod';
import { invalidProperty, lineError, type LineErrorDetail, requestBodyErrors } from '../../http/errors.ts';
import type { LineMessage } from '../../state/types.ts';
import type { UrlPolicy } from './common.ts';
import { bodyDetail, messageIssuesToError } from './issues.ts';
import { isMessageType, MESSAGE_TYPES, messageSchemas, TEXT_MAX } from './messages.ts';

const messagesField = z
  .array(z.unknown())
  .min(1, { error: 'Size must be between 1 and 5' })
  .max(5, { error: 'Size must be between 1 and 5' });

const UNIT_RE = /^[a-zA-Z0-9_]{1,30}$/;
// The reference says one unit per send for push and multicast alike, so both enforce maxItems 1.
const units = z
  .array(z.string().regex(UNIT_RE, { error: `Must match "${UNIT_RE.source}"` }))
  .max(1, { error: 'Size must be between 0 and 1' })
  .optional();

export const pushSchema = z.object({ to: z.string(), messages: messagesField, notificationDisabled: z.boolean().optional(), customAggregationUnits: units });
export const multicastSchema = z.object({
  to: z
    .array(z.string())
    .min(1, { error: 'Size must be between 1 and 500' })
    .max(500, { error: 'Size must be between 1 and 500' }),
  messages: messagesField,
  notificationDisabled: z.boolean().optional(),
  customAggregationUnits: units,
});
export const broadcastSchema = z.object({ messages: messagesField, notificationDisabled: z.boolean().optional() });
export const replySchema = z.object({ replyToken: z.string().min(1, { error: 'May not be empty' }), messages: messagesField, notificationDisabled: z.boolean().optional() });
export const validateSchema = z.object({ messages: messagesField });
export const narrowcastSchema = z.object({
  messages: messagesField,
  recipient: z.unknown().optional(),
  filter: z.object({ demographic: z.unknown().optional() }).optional(),
  limit: z
    .object({
      max: z.number().int().min(1, { error: 'Must be greater than or equal to 1' }).optional(),
      upToRemainingQuota: z.boolean().optional(),
      forbidPartialDelivery: z.boolean().optional(),
    })
    .optional(),
  notificationDisabled: z.boolean().optional(),
});

export type Parsed<S extends z.ZodType> = Omit<z.infer<S>, 'messages'> & { messages: LineMessage[] };

/**
 * Validate a send request the way LINE layers it: envelope and basic message fields first
 * ("The request body has N error(s)"), then each message object in depth
 * ("A message (messages[i]) in the request body is invalid"). Nothing is sent when either fails.
 */
export function parseSendRequest<S extends z.ZodType>(schema: S, body: unknown, policy: UrlPolicy): Parsed<S> {
  const input = body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {};
  const result = schema.safeParse(input, { reportInput: true });
  const details: LineErrorDetail[] = [];
  if (!result.success) {
    const mismatch = result.error.issues.find((i) => i.code === 'invalid_type' && 'input' in i && i.input !== undefined);
    if (mismatch) throw invalidProperty(`'${bodyDetail(mismatch).property}'`);
    details.push(...result.error.issues.map((i) => bodyDetail(i)));
  }
  const messages = (input as { messages?: unknown }).messages;
  const list = Array.isArray(messages) ? messages : [];
  list.forEach((m, i) => details.push(...basicMessageChecks(m, i)));
  if (details.length > 0) throw requestBodyErrors(details);

  const schemas = messageSchemas(policy);
  list.forEach((m, i) => {
    const type = (m as { type: string }).type;
    if (!isMessageType(type)) return;
    const r = schemas[type].safeParse(m, { reportInput: true });
    if (!r.success) throw messageIssuesToError(i, r.error.issues);
  });
  return result.data as Parsed<S>;
}

function basicMessageChecks(m: unknown, i: number): LineErrorDetail[] {
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return [{ message: 'May not be empty', property: `messages[${i}]` }];
  const msg = m as Record<string, unknown>;
  if (msg['type'] === undefined || msg['type'] === null || msg['type'] === '') return [{ message: 'May not be empty', property: `messages[${i}].type` }];
  if (!isMessageType(msg['type'])) {
    return [{ message: `Must be one of the following values: [${MESSAGE_TYPES.join(', ')}]`, property: `messages[${i}].type` }];
  }
  if (msg['type'] === 'text') {
    const text = msg['text'];
    if (text === undefined || text === null || text === '') return [{ message: 'May not be empty', property: `messages[${i}].text` }];
    if (typeof text !== 'string') throw invalidProperty(`'messages[${i}].text'`);
    if (text.length > TEXT_MAX) return [{ message: `Length must be between 0 and ${TEXT_MAX}`, property: `messages[${i}].text` }];
  }
  return [];
}

// ---- narrowcast recipient and demographic filter objects ----

export type Recipient =
  | { type: 'audience'; audienceGroupId: number }
  | { type: 'redelivery'; requestId: string }
  | { type: 'operator'; and?: Recipient[]; or?: Recipient[]; not?: Recipient };

export type Demographic =
  | { type: 'gender'; oneOf: string[] }
  | { type: 'age'; gte?: string; lt?: string }
  | { type: 'appType'; oneOf: string[] }
  | { type: 'area'; oneOf: string[] }
  | { type: 'subscriptionPeriod'; gte?: string; lt?: string }
  | { type: 'operator'; and?: Demographic[]; or?: Demographic[]; not?: Demographic };

export function checkRecipient(value: unknown, path = 'recipient'): { recipient: Recipient; objects: number } {
  const bad = () => invalidProperty(`'${path}'`);
  if (value === null || typeof value !== 'object') throw bad();
  const r = value as Record<string, unknown>;
  switch (r['type']) {
    case 'audience':
      if (typeof r['audienceGroupId'] !== 'number') throw requestBodyErrors([{ message: 'May not be empty', property: `${path}.audienceGroupId` }]);
      return { recipient: { type: 'audience', audienceGroupId: r['audienceGroupId'] }, objects: 1 };
    case 'redelivery':
      if (typeof r['requestId'] !== 'string') throw requestBodyErrors([{ message: 'May not be empty', property: `${path}.requestId` }]);
      return { recipient: { type: 'redelivery', requestId: r['requestId'] }, objects: 1 };
    case 'operator': {
      const present = (['and', 'or', 'not'] as const).filter((k) => r[k] !== undefined);
      if (present.length !== 1) throw lineError(400, 'Exactly one of and, or and not must be specified', [{ message: 'invalid property', property: path }]);
      const key = present[0]!;
      if (key === 'not') {
        const inner = checkRecipient(r['not'], `${path}.not`);
        return { recipient: { type: 'operator', not: inner.recipient }, objects: inner.objects };
      }
      const list = r[key];
      if (!Array.isArray(list) || list.length === 0) throw requestBodyErrors([{ message: 'May not be empty', property: `${path}.${key}` }]);
      const parts = list.map((x, i) => checkRecipient(x, `${path}.${key}[${i}]`));
      return { recipient: { type: 'operator', [key]: parts.map((p) => p.recipient) }, objects: parts.reduce((n, p) => n + p.objects, 0) };
    }
    default:
      throw requestBodyErrors([{ message: 'Must be one of the following values: [audience, redelivery, operator]', property: `${path}.type` }]);
  }
}

const DEMO_TYPES = ['gender', 'age', 'appType', 'area', 'subscriptionPeriod', 'operator'];

export function checkDemographic(value: unknown, path = 'filter.demographic'): Demographic {
  if (value === null || typeof value !== 'object') throw invalidProperty(`'${path}'`);
  const d = value as Record<string, unknown>;
  if (!DEMO_TYPES.includes(String(d['type']))) {
    throw requestBodyErrors([{ message: `Must be one of the following values: [${DEMO_TYPES.join(', ')}]`, property: `${path}.type` }]);
  }
  if (d['type'] === 'operator') {
    const present = (['and', 'or', 'not'] as const).filter((k) => d[k] !== undefined);
    if (present.length !== 1) throw lineError(400, 'Exactly one of and, or and not must be specified', [{ message: 'invalid property', property: path }]);
    const key = present[0]!;
    if (key === 'not') return { type: 'operator', not: checkDemographic(d['not'], `${path}.not`) };
    const list = d[key];
    if (!Array.isArray(list) || list.length === 0) throw requestBodyErrors([{ message: 'May not be empty', property: `${path}.${key}` }]);
    return { type: 'operator', [key]: list.map((x, i) => checkDemographic(x, `${path}.${key}[${i}]`)) };
  }
  if (['gender', 'appType', 'area'].includes(String(d['type'])) && !Array.isArray(d['oneOf'])) {
    throw requestBodyErrors([{ message: 'May not be empty', property: `${path}.oneOf` }]);
  }
  return d as Demographic;
}
