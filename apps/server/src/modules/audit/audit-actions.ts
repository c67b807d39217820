/**
 * Every action the audit log records. The filter's list is this catalogue (not a DISTINCT over the whole log on every
 * visit), and recordAudit accepts nothing else, so a new action is added here (and labelled in the web app's
 * `auditActions`, checked by audit-actions.test.ts) or the typecheck fails.
 */
export const AUDIT_ACTIONS = [
  'auth.login', 'auth.login_failed', 'auth.login_blocked', 'auth.account_locked', 'auth.account_throttled', 'auth.second_factor_failed', 'auth.logout', 'auth.logout_everywhere', 'auth.password_changed', 'auth.password_reset_requested', 'auth.password_reset', 'auth.invitation_accepted', 'auth.totp_enabled', 'auth.totp_disabled', 'auth.recovery_codes_regenerated',
  'account.created', 'account.updated', 'account.role_changed', 'account.disabled', 'account.enabled', 'account.invitation_sent',
  'role.created', 'role.updated', 'role.deleted',
  'property.created', 'property.updated',
  'platform.tenant_created', 'platform.tenant_suspended', 'platform.tenant_reactivated',
  'tenant.provisioned',
  'member.created', 'member.updated', 'member.deleted', 'member.restored', 'member.erased', 'member.merged', 'member.stay_added', 'member.personal_data_viewed', 'member.identity_searched', 'member.bound', 'member.binding_review_opened', 'member.binding_review_linked', 'member.binding_review_created', 'member.binding_review_dismissed', 'member.exported',
  'tag.created', 'tag.updated', 'tag.deleted', 'tag.assigned', 'tag.unassigned', 'tag.bulk_assigned', 'tag.bulk_unassigned',
  'segment.created', 'segment.updated', 'segment.deleted',
  'line.channel_connected', 'line.channel_updated', 'line.channel_verified', 'line.channel_disconnected',
  'member_portal.settings_updated', 'member_portal.button_created', 'member_portal.button_updated', 'member_portal.button_deleted',
  'campaign.created', 'campaign.updated', 'campaign.deleted', 'campaign.scheduled', 'campaign.unscheduled', 'campaign.cancelled', 'campaign.paused', 'campaign.resumed', 'campaign.test_sent', 'campaign.image_uploaded', 'campaign.settings_updated',
  'automation.rule_created', 'automation.rule_updated', 'automation.rule_deleted', 'automation.rule_enabled', 'automation.rule_disabled',
  'pms.connection_created', 'pms.connection_updated', 'pms.connection_deleted', 'pms.sync_requested', 'pms.review_linked', 'pms.review_rejected', 'pms.change_file_downloaded', 'pms.file_uploaded', 'pms.import_discarded', 'pms.profile_absent_from_full', 'pms.mapping_saved', 'pms.mapping_updated', 'pms.mapping_deleted',
  'member_import.started', 'member_import.completed', 'member_import.failed', 'member_import.file_erased',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
