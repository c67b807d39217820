import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZCampaignClickAnswer, ZCampaignClickCounts, ZCampaignClickRequest } from '@innkeeper/contracts/api';
import { z } from 'zod';
import type { DirectRoute } from '../../core/http/front-door.ts';
import type { LeanRoutes } from '../../core/http/lean-routes.ts';
import { INVALID_LINK_PATH, type CampaignClicks } from './campaign-clicks.ts';
import { isPreviewFetch } from './campaign-links.ts';
import { ZCampaignIdParams } from './campaigns.schemas.ts';

const ZLiffClickParams = z.object({ tenantId: z.uuid(), channelId: z.uuid() });

/** Said in both languages: the guest's language is not known here, and the page is the same for everyone. */
const INVALID_LINK_PAGE = `<!doctype html>
<html lang="zh-Hant-TW"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>連結無效 · Link not valid</title>
<style>body{font-family:system-ui,-apple-system,"PingFang TC","Noto Sans TC",sans-serif;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center;background:#f5f5f5;color:#333}main{max-width:22rem;padding:2rem;text-align:center}h1{font-size:1.2rem}p{color:#666;line-height:1.6}</style>
</head><body><main><h1>此連結無效或已失效</h1><p>請回到 LINE 官方帳號的訊息，重新點選活動按鈕。</p><h1 lang="en">This link is not valid</h1><p lang="en">Please go back to the LINE message and tap the button again.</p></main></body></html>`;

function bearer(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() || undefined : undefined;
}

/**
 * Innkeeper's redirect (`GET /c/:tenantId/:link`, for links opened outside LINE or channels without a LIFF app:
 * counted anonymously), served from the lean context (core/http/lean-routes.ts, docs/decisions/0013): a 302 to the
 * button's target, or to the invalid-link page for anything forged, foreign or withdrawn. The anonymous click is added
 * to its button's sum and written within moments; the guest does not wait for that write (docs/decisions/0014).
 * Hidden from the API reference: a guest's browser follows it, no client calls it. HEAD (and link previewers) get the
 * same redirect without being counted.
 */
export function trackedRedirectRoutes(deps: { clicks: CampaignClicks }): LeanRoutes {
  const { clicks } = deps;
  return async (app, { redirect, writeRedirect, direct }) => {
    // The common case first, before Fastify (decision 0016): the route below answers the same for everything else.
    direct(directRedirect(clicks, writeRedirect));
    // No schema: the router gives both parameters as strings (at most maxParamLength long), and whatever they hold is
    // checked by the tenant id's pattern and the link's signature before anything is read or written; a NUL or any
    // other garbage ends on the invalid-link page like a forged link. Logged at warn: a campaign's clicks come in
    // bursts of thousands a second, and an access log line would cost more than the redirect (bench/redirect).
    // A closing process writes the anonymous sums it still holds before the database is closed (api.ts, start.ts
    // close the app first); only a process killed outright loses them (at most ANONYMOUS_FLUSH_MS of clicks).
    app.addHook('onClose', async () => clicks.settled());
    // Not async: a click on a known link is answered in the same turn (campaign-clicks.ts, click), without a promise
    // for Fastify to wait on; only a first click on a button waits for its target to be read.
    app.get('/c/:tenantId/:link', { schema: { hide: true }, config: { access: 'public' }, logLevel: 'warn' }, (req, reply) => {
      const params = req.params as { tenantId: string; link: string };
      const outcome = clicks.click({ tenantId: params.tenantId, link: params.link, via: 'link', preview: isPreviewFetch(req.method, req.headers['user-agent']) });
      // With the lean headers: never cached (every click must reach us), no referrer (see LEAN_HEADERS).
      if (!(outcome instanceof Promise)) {
        redirect(reply, outcome.url);
        return;
      }
      return outcome.then((later) => redirect(reply, later.url));
    });
  };
}

/**
 * A tracked link's path as the route `/c/:tenantId/:link` would match it, in the one shape the direct redirect takes:
 * two parameters of 1–100 characters (Fastify's maxParamLength) that need no decoding and that the router could not
 * read differently — letters, digits and `-._~` only (a signed link is base64url and a dot; a tenant id is hex and
 * dashes) — then the end or a query, which the route ignores. Anything else (a `%`, a third segment, a trailing slash,
 * a fragment) is left to the route, which decodes and matches as it always has.
 */
const TRACKED_PATH = /^\/c\/([A-Za-z0-9._~-]{1,100})\/([A-Za-z0-9._~-]{1,100})(?:\?|$)/;
export function trackedPath(url: string): { tenantId: string; link: string } | undefined {
  const match = TRACKED_PATH.exec(url);
  return match ? { tenantId: match[1]!, link: match[2]! } : undefined;
}

/**
 * The tracked redirect served by the HTTP server before Fastify (docs/decisions/0016-direct-tracked-redirect.md):
 * for a GET or HEAD of the canonical path whose click can be answered at once (`clickAtOnce`: a known or forged link,
 * no guest to identify, the button's target already read), the same empty 302 with the lean headers that the route
 * writes, the click counted or not by the same rules. Everything else — a first click on a button in this process,
 * another method, an unusual path — is left untouched for the route. It logs nothing, as the route at `warn` logs
 * nothing for a redirect. Nothing here waits or reads the database; should anything throw all the same (a bug), the
 * request is left to the route, which meets the same failure inside Fastify and answers it as the lean context answers
 * errors (logged with the request id, a 500 in the API's shape) instead of the process dying in the server's
 * request listener. Counting is the last step before the write, and neither throws after it.
 */
function directRedirect(clicks: CampaignClicks, writeRedirect: (res: ServerResponse, location: string) => void): DirectRoute {
  return (req: IncomingMessage, res: ServerResponse) => {
    const { method, url } = req;
    if ((method !== 'GET' && method !== 'HEAD') || url === undefined || !url.startsWith('/c/')) return false;
    const params = trackedPath(url);
    if (!params) return false;
    try {
      const outcome = clicks.clickAtOnce({ tenantId: params.tenantId, link: params.link, via: 'link', preview: isPreviewFetch(method, req.headers['user-agent']) });
      if (outcome === undefined) return false;
      writeRedirect(res, outcome.url);
      return true;
    } catch {
      return false;
    }
  };
}

/**
 * The tracked links' other doors: the LIFF page's click report (the guest's ID token names them), the invalid-link
 * page, and the staff's click counts.
 */
export function campaignClickRoutes(deps: { clicks: CampaignClicks }): FastifyPluginAsyncZod {
  const { clicks } = deps;
  return async (app) => {
    app.get(INVALID_LINK_PATH, { schema: { hide: true }, config: { access: 'public' } }, async (_req, reply) =>
      reply.code(404).type('text/html; charset=utf-8').header('cache-control', 'no-store').header('x-robots-tag', 'noindex').send(INVALID_LINK_PAGE),
    );

    // Not logged per request either, as the redirect: the LIFF page's click report comes in the same bursts, and its
    // two access-log lines (request in, answer out) at 2,000 clicks/s cost more than the rest of it (bench/redirect).
    app.post('/api/liff/:tenantId/:channelId/clicks', {
      logLevel: 'warn',
      schema: {
        tags: ['liff'],
        summary: 'A guest tapped a campaign URL button (Authorization: Bearer <LIFF ID token>, optional): where to send them; the click is counted and its tags applied',
        params: ZLiffClickParams,
        body: ZCampaignClickRequest,
        response: { 200: ZCampaignClickAnswer },
      },
      config: { access: 'public' },
    }, async (req) => {
      const idToken = bearer(req);
      const outcome = await clicks.click({
        tenantId: req.params.tenantId,
        link: req.body.link,
        via: 'liff',
        preview: isPreviewFetch(req.method, req.headers['user-agent']),
        guest: idToken ? { channelId: req.params.channelId, idToken } : undefined,
      });
      return { url: outcome.url };
    });

    app.get('/api/campaigns/:campaignId/clicks', {
      schema: { tags: ['campaigns'], summary: 'The campaign’s buttons with their clicks: URL buttons’ (all, identified, anonymous, distinct guests, pending) and postback buttons’ taps and distinct guests', params: ZCampaignIdParams, response: { 200: ZCampaignClickCounts } },
      config: { access: 'session' },
    }, async (req) => clicks.clickCounts(req.ctx, req.params.campaignId));
  };
}
