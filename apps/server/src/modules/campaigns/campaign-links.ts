import crypto from 'node:crypto';
import type { Keyring } from '../../core/crypto/keyring.ts';
import type { TenantId } from '../../core/ids.ts';

/**
 * Tracked links of campaign URL buttons (點擊追蹤). One multicast message is the same for every recipient, so the
 * button cannot name the guest; it names the campaign and the button, and the guest is told by the LIFF ID token of
 * whoever opens it. The link id is `<campaign id, hex><action id>.<signature>`, the signature an HMAC under the
 * server's blind-index key over tenant, campaign and button: a forged or altered id, or one of another hotel's links
 * under this hotel's address, fails the check before any database work and tags nobody.
 */
const LINK = /^([0-9a-f]{32})([A-Za-z0-9]{1,12})\.([A-Za-z0-9_-]{22})$/;
/**
 * A link of an automated send (pushed to one guest) names the guest's run of the rule, the send step and the button:
 * `r<run id, hex><step>s<action id>.<signature>`, signed over its kind as well, so no campaign link reads as a rule's.
 */
const RULE_LINK = /^r([0-9a-f]{32})(\d{1,3})s([A-Za-z0-9]{1,12})\.([A-Za-z0-9_-]{22})$/;
const PURPOSE = 'campaign-link';

export type LinkRef = { campaignId: string; actionId: string };
export type RuleLinkRef = { runId: string; stepIndex: number; actionId: string };
/** What a link names: a campaign's button, or a button of one guest's automated send. */
export type TrackedRef = ({ kind: 'campaign' } & LinkRef) | ({ kind: 'rule' } & RuleLinkRef);

function uuidOf(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** 22 base64url characters: 132 bits of the HMAC. */
function signatureOf(keyring: Keyring, tenantId: string, ref: TrackedRef): string {
  const subject = ref.kind === 'campaign' ? `${tenantId}/${ref.campaignId}/${ref.actionId}` : `${tenantId}/rule/${ref.runId}/${ref.stepIndex}/${ref.actionId}`;
  return keyring.blindIndex(subject, PURPOSE).slice(0, 22);
}

export function signLink(keyring: Keyring, tenantId: TenantId, ref: LinkRef): string {
  return `${ref.campaignId.replaceAll('-', '')}${ref.actionId}.${signatureOf(keyring, tenantId, { kind: 'campaign', ...ref })}`;
}

export function signRuleLink(keyring: Keyring, tenantId: TenantId, ref: RuleLinkRef): string {
  return `r${ref.runId.replaceAll('-', '')}${ref.stepIndex}s${ref.actionId}.${signatureOf(keyring, tenantId, { kind: 'rule', ...ref })}`;
}

/** The campaign and button a link id names, or undefined when it is malformed or not signed by us for this tenant. */
export function verifyLink(keyring: Keyring, tenantId: string, link: string): LinkRef | undefined {
  const ref = verifyTrackedLink(keyring, tenantId, link);
  return ref?.kind === 'campaign' ? { campaignId: ref.campaignId, actionId: ref.actionId } : undefined;
}

/** What a link id names (a campaign's button or an automated send's), or undefined when it is not ours for this tenant. */
export function verifyTrackedLink(keyring: Keyring, tenantId: string, link: string): TrackedRef | undefined {
  const m = LINK.exec(link);
  const r = m ? undefined : RULE_LINK.exec(link);
  const ref: TrackedRef | undefined = m
    ? { kind: 'campaign', campaignId: uuidOf(m[1]!), actionId: m[2]! }
    : r
      ? { kind: 'rule', runId: uuidOf(r[1]!), stepIndex: Number(r[2]!), actionId: r[3]! }
      : undefined;
  if (!ref) return undefined;
  const expected = Buffer.from(signatureOf(keyring, tenantId, ref));
  const given = Buffer.from((m ?? r)!.at(-1)!);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given) ? ref : undefined;
}

/**
 * Where a tracked button points. With a LIFF app on the campaign's channel: its LIFF URL, which LINE opens in the
 * member portal's LIFF page at `<endpoint>/c/<link>` with the guest's ID token. Without one: Innkeeper's own redirect,
 * which can only count the click (nobody is identified).
 */
export function trackedUrl(input: { publicUrl: string; tenantId: TenantId; liffId: string | null | undefined; link: string }): string {
  return input.liffId ? `https://liff.line.me/${input.liffId}/c/${input.link}` : `${input.publicUrl}/c/${input.tenantId}/${input.link}`;
}

/**
 * Link-preview fetchers and crawlers: a chat app unfurling a pasted link is not a guest clicking it. LINE's own
 * previewer says `facebookexternalhit/1.1;line-poker/1.0`; LINE's in-app browser (`… Line/14.x`) is a guest and is not
 * matched. A request without a user agent is no browser either.
 */
const PREVIEW_AGENTS = /facebookexternalhit|facebot|line-poker|twitterbot|slackbot|slack-imgproxy|linkedinbot|discordbot|telegrambot|whatsapp|skypeuripreview|embedly|pinterest|redditbot|applebot|googlebot|bingbot|yandex|baiduspider|duckduckbot|bitlybot|vkshare|w3c_validator|iframely|mastodon|preview|crawler|spider|curl\/|wget\//i;

/**
 * User agents already judged: a campaign's burst comes from phones whose agents repeat (a handful of iOS, Android and
 * LINE versions), and looking one up is cheaper than running the pattern over its ~130 characters on every click
 * (bench/README.md, "Tracked links"). Bounded: a flood of made-up agents only empties it now and then.
 */
const judgedAgents = new Map<string, boolean>();
const JUDGED_AGENTS_MAX = 1000;

export function isPreviewFetch(method: string, userAgent: string | undefined): boolean {
  if (method === 'HEAD' || !userAgent) return true;
  let preview = judgedAgents.get(userAgent);
  if (preview === undefined) {
    preview = PREVIEW_AGENTS.test(userAgent);
    if (judgedAgents.size >= JUDGED_AGENTS_MAX) judgedAgents.clear();
    judgedAgents.set(userAgent, preview);
  }
  return preview;
}
