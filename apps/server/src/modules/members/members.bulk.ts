import type { Clock } from '../../core/clock.ts';
import type { Keyring } from '../../core/crypto/keyring.ts';
import { createBulkMembers } from './bulk-members.ts';
import { createBulkStays } from './bulk-stays.ts';
import { createMatchKeys } from './match-keys.ts';
import { createMemberExport } from './member-export.ts';
import { createPmsFields } from './pms-fields.ts';

/**
 * What importers and exporters (member-transfer; later the PMS sync) use: members and stays a batch at a time
 * (bulk-members.ts, bulk-stays.ts), the selected members for an export (member-export.ts). The field checks for one
 * value are in import-checks.ts.
 */
export function createMembersBulk(deps: { keyring: Keyring; clock: Clock }) {
  return { ...createBulkMembers(deps), ...createBulkStays(deps), ...createMemberExport(deps), ...createMatchKeys(), ...createPmsFields(deps) };
}

export type MembersBulk = ReturnType<typeof createMembersBulk>;
