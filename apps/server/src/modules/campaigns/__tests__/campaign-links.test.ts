import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ZCampaignMessages } from '@innkeeper/contracts/api';
import { createKeyring } from '../../../core/crypto/keyring.ts';
import { asTenantId } from '../../../core/ids.ts';
import { isPreviewFetch, signLink, signRuleLink, trackedUrl, verifyLink, verifyTrackedLink } from '../campaign-links.ts';
import { toLineMessages } from '../line-messages.ts';

const keyring = createKeyring([{ id: 'k1', key: crypto.randomBytes(32) }], crypto.randomBytes(32));
const otherServer = createKeyring([{ id: 'k1', key: crypto.randomBytes(32) }], crypto.randomBytes(32));
const TENANT = asTenantId('01900000-0000-7000-8000-0000000000a1');
const OTHER = asTenantId('01900000-0000-7000-8000-0000000000b2');
const CAMPAIGN = '01900000-0000-7000-8000-00000000c0de';

describe('tracked link ids', () => {
  it('name the campaign and the button, and verify only for the tenant and the server that signed them', () => {
    const link = signLink(keyring, TENANT, { campaignId: CAMPAIGN, actionId: 'u1' });
    expect(link).toMatch(/^[0-9a-f]{32}u1\.[A-Za-z0-9_-]{22}$/);
    expect(verifyLink(keyring, TENANT, link)).toEqual({ campaignId: CAMPAIGN, actionId: 'u1' });
    expect(verifyLink(keyring, OTHER, link)).toBeUndefined();
    expect(verifyLink(otherServer, TENANT, link)).toBeUndefined();
    // Another button or campaign under the same signature.
    expect(verifyLink(keyring, TENANT, link.replace('u1.', 'u2.'))).toBeUndefined();
    expect(verifyLink(keyring, TENANT, `f${link.slice(1)}`)).toBeUndefined();
    expect(verifyLink(keyring, TENANT, `${link}x`)).toBeUndefined();
    expect(verifyLink(keyring, TENANT, '')).toBeUndefined();
  });

  it('of an automated send name the run, the step and the button, and never read as a campaign’s (or the other way)', () => {
    const run = '01900000-0000-7000-8000-0000000000f1';
    const link = signRuleLink(keyring, TENANT, { runId: run, stepIndex: 4, actionId: 'u1' });
    expect(link).toMatch(/^r[0-9a-f]{32}4su1\.[A-Za-z0-9_-]{22}$/);
    expect(verifyTrackedLink(keyring, TENANT, link)).toEqual({ kind: 'rule', runId: run, stepIndex: 4, actionId: 'u1' });
    expect(verifyLink(keyring, TENANT, link)).toBeUndefined();
    expect(verifyTrackedLink(keyring, OTHER, link)).toBeUndefined();
    // Another step, another button, or a campaign link's signature on a rule link: refused.
    expect(verifyTrackedLink(keyring, TENANT, link.replace('4su1', '3su1'))).toBeUndefined();
    expect(verifyTrackedLink(keyring, TENANT, link.replace('4su1', '4su2'))).toBeUndefined();
    const campaignLink = signLink(keyring, TENANT, { campaignId: run, actionId: 'u1' });
    expect(verifyTrackedLink(keyring, TENANT, `r${campaignLink.slice(0, 32)}4su1.${campaignLink.split('.')[1]}`)).toBeUndefined();
    expect(verifyTrackedLink(keyring, TENANT, campaignLink)).toEqual({ kind: 'campaign', campaignId: run, actionId: 'u1' });
  });

  it('point at the channel’s LIFF app, or at Innkeeper’s redirect when the channel has none', () => {
    expect(trackedUrl({ publicUrl: 'https://crm.example', tenantId: TENANT, liffId: '1234567890-AbcdEfgh', link: 'L' })).toBe('https://liff.line.me/1234567890-AbcdEfgh/c/L');
    expect(trackedUrl({ publicUrl: 'https://crm.example', tenantId: TENANT, liffId: null, link: 'L' })).toBe(`https://crm.example/c/${TENANT}/L`);
  });

  it('replace every URL button of the LINE messages, postbacks untouched', () => {
    const messages = ZCampaignMessages.parse([
      { type: 'buttons', altText: 'a', text: 't', actions: [{ id: 'u1', type: 'uri', label: '訂房', uri: 'https://hotel.example/book' }, { id: 'p1', type: 'postback', label: '有興趣' }] },
      { type: 'carousel', altText: 'c', cards: [{ title: '台北', actions: [{ id: 'u2', type: 'uri', label: '看看', uri: 'https://hotel.example/tpe' }] }] },
    ]);
    const built = JSON.stringify(toLineMessages(messages, { campaignId: CAMPAIGN, imageUrls: () => ({ original: '', preview: '' }), trackUri: (id) => `https://liff.line.me/1-x/c/${id}` }));
    expect(built).toContain('"uri":"https://liff.line.me/1-x/c/u1"');
    expect(built).toContain('"uri":"https://liff.line.me/1-x/c/u2"');
    expect(built).not.toContain('hotel.example');
    expect(built).toContain(`"data":"campaign=${CAMPAIGN}&action=p1"`);
  });
});

describe('link previews', () => {
  it('are told from guests by method and user agent', () => {
    const guests = [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Safari Line/14.9.0',
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36 Line/14.9.0/IAB',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
    ];
    for (const agent of guests) expect({ agent, preview: isPreviewFetch('GET', agent) }).toEqual({ agent, preview: false });
    const previews = ['facebookexternalhit/1.1;line-poker/1.0', 'Twitterbot/1.0', 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)', 'TelegramBot (like TwitterBot)', 'WhatsApp/2.23.20.0', ''];
    for (const agent of previews) expect({ agent, preview: isPreviewFetch('GET', agent) }).toEqual({ agent, preview: true });
    expect(isPreviewFetch('HEAD', guests[0])).toBe(true);
    expect(isPreviewFetch('GET', undefined)).toBe(true);
    // Agents already judged are remembered (a burst repeats a few): asked again, each gets the same answer, and a
    // flood of made-up agents (more than are remembered) changes none.
    for (let i = 0; i < 1500; i += 1) isPreviewFetch('GET', `Mozilla/5.0 made-up ${i}`);
    for (const agent of guests) expect({ agent, preview: isPreviewFetch('GET', agent) }).toEqual({ agent, preview: false });
    for (const agent of previews) expect({ agent, preview: isPreviewFetch('GET', agent) }).toEqual({ agent, preview: true });
    expect(isPreviewFetch('HEAD', guests[0])).toBe(true);
  });
});
