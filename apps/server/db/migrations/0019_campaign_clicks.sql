-- Clicks on campaigns' URL buttons (點擊追蹤). A multicast message is the same for every recipient, so a URL button
-- points at a tracked link (a LIFF URL, or Innkeeper's own redirect outside LIFF) naming the campaign and the button,
-- signed with a server key. Each click is stored here in the redirect's request (an inbox) and answered at once; a job
-- then applies the button's tags to the guest the LIFF ID token named, so the tagging survives a worker that is down.

create table campaign_clicks (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  campaign_id uuid not null,
  action_id text not null constraint campaign_clicks_action_check check (action_id ~ '^[A-Za-z0-9]{1,12}$'),
  -- The guest LINE vouched for (verified LIFF ID token); NULL when the link was opened outside LINE (counted only).
  line_user_id text,
  -- anonymous: counted, nobody tagged. pending → applied (the member found, clicked and tagged) or no_member (LINE
  -- user not known as a member: counted, nobody tagged) or failed (gave up after 3 attempts).
  status text not null constraint campaign_clicks_status_check check (status in ('anonymous', 'pending', 'applied', 'no_member', 'failed')),
  member_id uuid,
  -- 'liff': the LIFF page with a verified ID token (or none); 'link': Innkeeper's redirect opened directly.
  via text not null constraint campaign_clicks_via_check check (via in ('liff', 'link')),
  attempts integer not null default 0,
  error text not null default '',
  clicked_at timestamptz not null,
  processed_at timestamptz,
  constraint campaign_clicks_pkey primary key (tenant_id, id),
  constraint campaign_clicks_campaign_fkey foreign key (tenant_id, campaign_id) references campaigns (tenant_id, id) on delete cascade,
  constraint campaign_clicks_guest_check check ((line_user_id is null) = (status = 'anonymous'))
);
-- The job takes a tenant's pending clicks in click order.
create index campaign_clicks_pending_idx on campaign_clicks (tenant_id, clicked_at) where status = 'pending';
-- Counts per campaign and button.
create index campaign_clicks_campaign_idx on campaign_clicks (tenant_id, campaign_id, action_id);
-- A merged or erased guest's clicks.
create index campaign_clicks_member_idx on campaign_clicks (tenant_id, member_id) where member_id is not null;

alter table campaign_clicks enable row level security;
create policy tenant_isolation on campaign_clicks to innkeeper_app using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());
grant select, insert, update, delete on campaign_clicks to innkeeper_app;
