import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../core/db/database.ts';

type PacedChannel = { tenantId: string; id: string };

/** The channel's pacing row for this endpoint, created at "now" the first time. */
export async function ensurePacingRow(tx: Tx, channel: PacedChannel, endpoint: string): Promise<void> {
  await tx.execute(
    sql`insert into line_send_pacing (tenant_id, channel_id, endpoint, next_slot_at) values (${channel.tenantId}::uuid, ${channel.id}::uuid, ${endpoint}, clock_timestamp())
        on conflict (tenant_id, channel_id, endpoint) do nothing`,
  );
}

/**
 * Under the row's lock: the block starts at max(stored arrival time, now, `notBeforeMs`: when the caller's own
 * held-back requests will have left); as many of `count` slots one interval apart
 * are granted as start within `horizonMs` (the caller's longest wait plus the burst tolerance), and the arrival time
 * moves past them. Times come back as epoch ms on the database's clock.
 */
export async function reservePacingBlock(
  tx: Tx,
  channel: PacedChannel,
  endpoint: string,
  block: { count: number; intervalMs: number; horizonMs: number; notBeforeMs?: number | null },
): Promise<{ start_at: number; now_at: number; granted: number } | undefined> {
  const [row] = await queryRows<{ start_at: number; now_at: number; granted: number }>(
    tx,
    sql`update line_send_pacing p
        set next_slot_at = o.start + o.granted * (${block.intervalMs}::float8 * interval '1 millisecond')
        from (
          select l.tenant_id, l.channel_id, l.endpoint, greatest(l.next_slot_at, c.now, c.not_before) as start, c.now,
                 greatest(0, least(${block.count}::int, floor((${block.horizonMs}::float8 - extract(epoch from greatest(l.next_slot_at, c.now, c.not_before) - c.now) * 1000) / ${block.intervalMs}::float8) + 1))::int as granted
          from line_send_pacing l, (select clock_timestamp() as now, to_timestamp(${block.notBeforeMs ?? null}::float8 / 1000) as not_before) c
          where l.tenant_id = ${channel.tenantId}::uuid and l.channel_id = ${channel.id}::uuid and l.endpoint = ${endpoint}
          for update of l
        ) o
        where p.tenant_id = o.tenant_id and p.channel_id = o.channel_id and p.endpoint = o.endpoint
        returning (extract(epoch from o.start) * 1000)::float8 as start_at, (extract(epoch from o.now) * 1000)::float8 as now_at, o.granted`,
  );
  return row;
}
