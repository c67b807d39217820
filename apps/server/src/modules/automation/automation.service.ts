import { AUTOMATION_RUN_STATUSES, type AutomationStepKind } from '@innkeeper/contracts';
import type { AutomationRuleCreate, AutomationRulePatch, AutomationStep } from '@innkeeper/contracts/api';
import type { Clock } from '../../core/clock.ts';
import { assertCan, can, type RequestContext, type TenantContext } from '../../core/context.ts';
import type { Tx } from '../../core/db/database.ts';
import { writeUniqueName } from '../../core/db/rename.ts';
import { AppError, fieldErrors, isUniqueViolation } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { recordAudit } from '../audit/index.ts';
import type { AutomationLinks, MarketingSends } from '../campaigns/index.ts';
import { memberSelection, propertyScopeOf, recordInteraction } from '../members/index.ts';
import type { SegmentsService } from '../segments/index.ts';
import { mayGiveOnClick, type TagsService, type TagUsageProvider } from '../tags/index.ts';
import { listAllProperties } from '../tenants/index.ts';
import type { PostbackResolver, PostbackTapHook } from '../line/index.ts';
import * as repo from './automation.repository.ts';
import type { RuleRow } from './automation.repository.ts';
import type { automationRules } from './automation.tables.ts';
import { AUTOMATION_TEMPLATES, ruleFromTemplate, templateOf } from './automation-templates.ts';

type Issue = { path: string; message: string };
/** A rule's name is unique in its tenant (migration 0058): a save that would repeat one is refused at the name field. */
const NAME_KEY = 'automation_rules_name_key';
const nameTaken = { [NAME_KEY]: () => new AppError('automation.name_taken', { field: 'name' }) };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Automation rules (decision 0009): drafts and edits with campaigns.edit; switching a rule on — it sends to guests
 * with nobody pressing send — with campaigns.push, approving the version reviewed; switching off with either. A rule
 * is changed only while off. Property scope as for campaigns (decision 0008): an account limited to some properties
 * sees its properties' rules and the group-wide ones and changes only its properties' rules.
 */
export function createAutomationService(deps: { clock: Clock; segments: SegmentsService; tags: TagsService; sends: MarketingSends }) {
  const { clock } = deps;

  function assertMayRead(ctx: RequestContext): void {
    if (!can(ctx, 'campaigns.edit') && !can(ctx, 'campaigns.push')) throw new AppError('auth.forbidden', { permission: 'campaigns.edit' });
  }

  function manages(ctx: TenantContext, propertyId: string | null): boolean {
    const scope = propertyScopeOf(ctx);
    return scope === 'all' || (propertyId !== null && scope.includes(propertyId));
  }

  async function requireRule(ctx: RequestContext, id: string): Promise<RuleRow> {
    const rule = await repo.findRule(ctx.db, ctx.tenantId, id, propertyScopeOf(ctx));
    if (!rule) throw new AppError('automation.not_found');
    return rule;
  }

  function assertMayChange(ctx: RequestContext, rule: { propertyId: string | null }): void {
    if (!manages(ctx, rule.propertyId)) throw new AppError('automation.property_out_of_scope');
  }

  /**
   * A step that adds or removes a tag tags members as POST /api/tags/:id/members does, with nobody pressing a button:
   * it is made, changed or switched on only by an account that may tag members itself (nobody grants what they do not
   * hold). A tap's tags are another matter: a button gives activity tags only (mayGiveOnClick), to the guest who taps.
   */
  function assertMayTagThrough(ctx: RequestContext, steps: readonly AutomationStep[]): void {
    if (steps.some((s) => s.kind === 'add_tag' || s.kind === 'remove_tag') && !can(ctx, 'tags.edit')) throw new AppError('automation.tag_steps_forbidden');
  }
  const mayTagThrough = (ctx: RequestContext, steps: readonly AutomationStep[]) => !steps.some((s) => s.kind === 'add_tag' || s.kind === 'remove_tag') || can(ctx, 'tags.edit');

  /** What the schema cannot know: the property, tags, segment and images are this tenant's; steps refer to earlier steps. */
  async function check(ctx: RequestContext, input: Pick<AutomationRuleCreate, 'propertyId' | 'trigger' | 'condition' | 'steps'>): Promise<AutomationStep[]> {
    assertMayTagThrough(ctx, input.steps);
    const issues: Issue[] = [];
    if (input.propertyId !== null) {
      const known = (await listAllProperties(ctx)).some((p) => p.id === input.propertyId);
      if (!known || !manages(ctx, input.propertyId)) issues.push({ path: 'propertyId', message: 'field.automation_property' });
    } else if (propertyScopeOf(ctx) !== 'all') {
      throw new AppError('automation.property_out_of_scope');
    }
    const tagKnown = async (tagId: string) => deps.tags.requireTag(ctx, tagId).then(() => true, () => false);
    const tagKindOf = async (tagId: string) => deps.tags.requireTag(ctx, tagId).then((tag) => tag.kind, () => undefined);
    if (input.trigger.kind === 'tag_added' && !(await tagKnown(input.trigger.tagId))) issues.push({ path: 'trigger.tagId', message: 'field.automation_tag' });
    if (input.condition?.kind === 'segment') {
      const found = await deps.segments.requireSegment(ctx, input.condition.segmentId).then(() => true, () => false);
      if (!found) issues.push({ path: 'condition.segmentId', message: 'field.automation_segment' });
    }
    if (input.condition?.kind === 'conditions') {
      // The segments module checks a definition's tags and properties as it does a segment's.
      await deps.segments.countAudience(ctx, { definition: input.condition.definition, memberIds: [] });
    }
    const steps: AutomationStep[] = [];
    for (const [i, step] of input.steps.entries()) {
      if ((step.kind === 'add_tag' || step.kind === 'remove_tag' || step.kind === 'if_tagged') && !(await tagKnown(step.tagId))) issues.push({ path: `steps.${i}.tagId`, message: 'field.automation_tag' });
      if (step.kind === 'if_clicked') {
        const target = input.steps[step.step];
        // A postback or a tracked URL button: either marks the step tapped.
        const hasButton = step.step < i && target?.kind === 'send' && target.messages.some((m) => buttonsOf(m).length > 0);
        if (!hasButton) issues.push({ path: `steps.${i}.step`, message: 'field.automation_clicked_step' });
      }
      if (step.kind !== 'send') {
        steps.push(step);
        continue;
      }
      for (const [m, message] of step.messages.entries()) {
        for (const [a, action] of buttonsOf(message).entries()) {
          for (const [t, tagId] of action.tagIds.entries()) {
            const kind = await tagKindOf(tagId);
            if (kind === undefined) issues.push({ path: `steps.${i}.messages.${m}.actions.${a}.tagIds.${t}`, message: 'field.automation_tag' });
            else if (!mayGiveOnClick({ kind })) issues.push({ path: `steps.${i}.messages.${m}.actions.${a}.tagIds.${t}`, message: 'field.automation_click_tag_kind' });
          }
        }
      }
      const checked = await deps.sends.checkMessages(ctx, step.messages, `steps.${i}`);
      issues.push(...checked.issues);
      steps.push({ kind: 'send', messages: checked.messages });
    }
    if (issues.length > 0) throw fieldErrors('body', issues);
    return steps;
  }

  function summaryOf(ctx: RequestContext, row: RuleRow) {
    const mayChange = manages(ctx, row.propertyId);
    return {
      id: row.id,
      name: row.name,
      propertyId: row.propertyId,
      templateKey: row.templateKey,
      enabled: row.enabled,
      trigger: row.trigger,
      condition: row.condition,
      steps: row.steps,
      version: row.version,
      enabledBy: row.enabledBy,
      enabledAt: row.enabledAt,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      may: {
        edit: mayChange && !row.enabled && can(ctx, 'campaigns.edit'),
        enable: mayChange && !row.enabled && can(ctx, 'campaigns.push') && mayTagThrough(ctx, row.steps),
        disable: mayChange && row.enabled && (can(ctx, 'campaigns.edit') || can(ctx, 'campaigns.push')),
      },
    };
  }

  /** A rule as its page shows it: with the images its messages show (and where LINE fetches them). */
  async function toDto(ctx: RequestContext, row: RuleRow) {
    const messages = row.steps.flatMap((step) => (step.kind === 'send' ? step.messages : []));
    return { ...summaryOf(ctx, row), images: await deps.sends.imagesOf(ctx, messages) };
  }

  async function listRules(ctx: RequestContext) {
    assertMayRead(ctx);
    const rows = await repo.listRules(ctx.db, ctx.tenantId, propertyScopeOf(ctx));
    return {
      data: rows.map((row) => {
        const dto = summaryOf(ctx, row);
        return { id: dto.id, name: dto.name, propertyId: dto.propertyId, templateKey: dto.templateKey, enabled: dto.enabled, trigger: dto.trigger, version: dto.version, updatedAt: dto.updatedAt, may: dto.may, stepCount: row.steps.length, entered: row.entered, completed: row.completed };
      }),
    };
  }

  async function getRule(ctx: RequestContext, id: string) {
    assertMayRead(ctx);
    return toDto(ctx, await requireRule(ctx, id));
  }

  async function insert(ctx: RequestContext, input: AutomationRuleCreate, templateKey: RuleRow['templateKey']) {
    const steps = await check(ctx, input);
    const now = clock.now();
    const values = (name: string) => ({
      tenantId: ctx.tenantId,
      id: newId(),
      name,
      propertyId: input.propertyId,
      templateKey,
      trigger: input.trigger,
      triggerKind: input.trigger.kind,
      triggerTagId: input.trigger.kind === 'tag_added' ? input.trigger.tagId : null,
      condition: input.condition,
      steps,
      createdBy: ctx.accountId,
      updatedBy: ctx.accountId,
      createdAt: now,
      updatedAt: now,
    });
    // A name staff typed is theirs: a repeat is refused at the field. A template's rule takes the first free
    // 「名稱（n）」 instead: using a template twice is a deliberate second rule, not a mistake to correct.
    const row = templateKey === null ? await writeUniqueName(ctx.db, (tx) => repo.insertRule(tx, values(input.name)), nameTaken) : await insertUnderFreeName(ctx, input.name, values);
    await recordAudit(ctx, { action: 'automation.rule_created', targetType: 'automation_rule', targetId: row.id, details: { name: row.name, templateKey, trigger: row.triggerKind } });
    return toDto(ctx, row);
  }

  /**
   * The template's name, or 「名稱（2）」, 「名稱（3）」… whichever no rule of the tenant has, as the database's unique
   * index compares names (repo.firstFreeName). Other uses of templates wait on the template lock (createFromTemplate),
   * so they cannot take it meanwhile. The retry stays for what that lock does not hold: a staff member's own create or
   * rename (whose typed name is theirs, refused at the field, and takes no lock) may commit that very name between the
   * read and the insert. The insert runs on its own savepoint, so the request's transaction goes on, reads the names
   * again with that one among them, and takes the next; a few rounds are plenty for people typing.
   */
  async function insertUnderFreeName(ctx: RequestContext, base: string, values: (name: string) => typeof automationRules.$inferInsert): Promise<RuleRow> {
    for (let attempt = 1; ; attempt++) {
      const name = await repo.firstFreeName(ctx.db, ctx.tenantId, base);
      try {
        return await ctx.db.transaction((savepoint) => repo.insertRule(savepoint as Tx, values(name)));
      } catch (error) {
        if (!isUniqueViolation(error, NAME_KEY)) throw error;
        if (attempt === 3) throw nameTaken[NAME_KEY]();
      }
    }
  }

  async function createRule(ctx: RequestContext, input: AutomationRuleCreate) {
    assertCan(ctx, 'campaigns.edit');
    return insert(ctx, input, null);
  }

  function listTemplates(ctx: RequestContext) {
    assertMayRead(ctx);
    return {
      data: AUTOMATION_TEMPLATES.map((t) => {
        const built = t.build(() => '00000000-0000-0000-0000-000000000000');
        return { key: t.key, name: t.name, description: t.description, trigger: built.trigger, stepKinds: built.steps.map((s) => s.kind as AutomationStepKind), tagNames: t.tags.map((tag) => tag.name) };
      }),
    };
  }

  /** A rule from a template, switched off: the hotel's tags of the template's names, made if it has none of them. */
  async function createFromTemplate(ctx: RequestContext, input: { templateKey: RuleRow['templateKey'] & string; propertyId: string | null }) {
    assertCan(ctx, 'campaigns.edit');
    const template = templateOf(input.templateKey);
    // Uses of templates in one tenant are taken in turn (staff act, seconds apart at most): the next reads the tags
    // and names this one made, rather than racing it for the same tag and the same 「名稱（n）」.
    await repo.lockTemplateUses(ctx.db, ctx.tenantId);
    const tagIds = new Map<string, string>();
    for (const tag of template.tags) {
      // The hotel's tag of that name in any spelling (「商務客」 kept as typed, or with a stray space or another case):
      // found as the unique index sees names, so the template never makes a near-duplicate beside it.
      const existing = await deps.tags.findTagByName(ctx, tag.name);
      // Making the tag is a tags.edit act: an account without it does not get one made through the template.
      if (!existing && !can(ctx, 'tags.edit')) throw new AppError('automation.template_tag_missing', { tag: tag.name });
      // The hotel's tag of that name is a basic member tag where the template's taps give it: said plainly, not as a
      // field error on a rule the staff never saw.
      if (existing && !mayGiveOnClick(existing) && mayGiveOnClick(tag)) throw new AppError('automation.template_tag_kind', { tag: tag.name });
      tagIds.set(tag.name, existing?.id ?? (await deps.tags.createTag(ctx, { name: tag.name, kind: tag.kind, description: tag.description })).id);
    }
    return insert(ctx, ruleFromTemplate(template, input.propertyId, tagIds), template.key);
  }

  async function updateRule(ctx: RequestContext, id: string, patch: AutomationRulePatch) {
    assertCan(ctx, 'campaigns.edit');
    const rule = await requireRule(ctx, id);
    assertMayChange(ctx, rule);
    if (rule.enabled) throw new AppError('automation.enabled');
    const { version, ...fields } = patch;
    if (Object.keys(fields).length === 0) return toDto(ctx, rule);
    const next = { propertyId: fields.propertyId === undefined ? rule.propertyId : fields.propertyId, trigger: fields.trigger ?? rule.trigger, condition: fields.condition === undefined ? rule.condition : fields.condition, steps: fields.steps ?? rule.steps };
    const steps = await check(ctx, next);
    const now = clock.now();
    const updated = await writeUniqueName(ctx.db, (tx) => repo.updateRule(
      tx,
      ctx.tenantId,
      id,
      // Without the editor's version, the one this request read: the rule is written over that read, so an edit
      // committed meanwhile must refuse this one rather than be silently put back.
      version ?? rule.version,
      {
        ...(fields.name !== undefined ? { name: fields.name } : {}),
        propertyId: next.propertyId,
        trigger: next.trigger,
        triggerKind: next.trigger.kind,
        triggerTagId: next.trigger.kind === 'tag_added' ? next.trigger.tagId : null,
        condition: next.condition,
        steps,
        updatedBy: ctx.accountId,
      },
      now,
    ), nameTaken);
    if (!updated) throw new AppError((await requireRule(ctx, id)).enabled ? 'automation.enabled' : 'automation.changed');
    // Guests under way followed the old steps: they leave (the statistics keep what they did).
    const exited = await repo.exitOpenRuns(ctx.db, ctx.tenantId, id, 'rule_changed', now);
    await recordAudit(ctx, { action: 'automation.rule_updated', targetType: 'automation_rule', targetId: id, details: { version: updated.version, fields: Object.keys(fields), runsExited: exited } });
    return toDto(ctx, updated);
  }

  async function deleteRule(ctx: RequestContext, id: string): Promise<void> {
    assertCan(ctx, 'campaigns.edit');
    const rule = await requireRule(ctx, id);
    assertMayChange(ctx, rule);
    if (!(await repo.deleteRule(ctx.db, ctx.tenantId, id))) throw new AppError('automation.enabled');
    await recordAudit(ctx, { action: 'automation.rule_deleted', targetType: 'automation_rule', targetId: id, details: { name: rule.name } });
  }

  /** Switching on approves the version reviewed: from now on its trigger lets guests in and its sends go out. */
  async function enableRule(ctx: RequestContext, id: string, input: { version: number }) {
    assertCan(ctx, 'campaigns.push');
    const rule = await requireRule(ctx, id);
    assertMayChange(ctx, rule);
    if (rule.enabled) return toDto(ctx, rule);
    if (rule.version !== input.version) throw new AppError('automation.changed');
    assertMayTagThrough(ctx, rule.steps);
    // The rule's tags held until this commits (a deletion at this moment waits, then finds the switched-on rule and
    // refuses), and each must still exist: one deleted while the rule was off would leave it waiting on or giving nothing.
    const used = tagsOfRule(rule);
    const held = await deps.tags.holdTags(ctx, used);
    if (used.some((tagId) => !held.has(tagId))) throw new AppError('automation.tag_gone');
    if (rule.steps.some((s) => s.kind === 'send') && !(await deps.sends.channelFor(ctx, rule))) throw new AppError('automation.no_channel');
    const updated = await repo.setEnabled(ctx.db, ctx.tenantId, id, { enabled: true, version: input.version, by: ctx.accountId }, clock.now());
    if (!updated) throw new AppError('automation.changed');
    await recordAudit(ctx, { action: 'automation.rule_enabled', targetType: 'automation_rule', targetId: id, details: { version: updated.version } });
    return toDto(ctx, updated);
  }

  /**
   * Switching off stops the rule: nobody new enters, and the guests under way leave it with the reason rule_disabled
   * (their wait or unsent message settled as skipped, for the statistics): no message of it goes out after this, not
   * even days later when the rule is switched on again — a follow-up to an offer staff stopped would arrive out of
   * context. Only a send already on its way to LINE at this moment is delivered (and recorded as sent).
   */
  async function disableRule(ctx: RequestContext, id: string) {
    assertMayRead(ctx);
    const rule = await requireRule(ctx, id);
    assertMayChange(ctx, rule);
    if (!rule.enabled) return toDto(ctx, rule);
    const now = clock.now();
    const updated = await repo.setEnabled(ctx.db, ctx.tenantId, id, { enabled: false }, now);
    if (!updated) return toDto(ctx, await requireRule(ctx, id));
    const exited = await repo.exitOpenRuns(ctx.db, ctx.tenantId, id, 'rule_disabled', now);
    await recordAudit(ctx, { action: 'automation.rule_disabled', targetType: 'automation_rule', targetId: id, details: { version: updated.version, runsExited: exited } });
    return toDto(ctx, updated);
  }

  /** How many guests entered, where they are, and per step how many completed it, were skipped, failed or tapped. */
  async function ruleStats(ctx: RequestContext, id: string) {
    assertMayRead(ctx);
    const rule = await requireRule(ctx, id);
    const runs = await repo.countRuns(ctx.db, ctx.tenantId, id);
    const outcomes = await repo.countStepOutcomes(ctx.db, ctx.tenantId, id);
    const linkClicks = new Map((await deps.sends.ruleLinkClicks(ctx, id)).map((c) => [c.step, c.clicks]));
    const byStatus = Object.fromEntries(AUTOMATION_RUN_STATUSES.map((s) => [s, runs.filter((r) => r.status === s).reduce((n, r) => n + r.n, 0)])) as Record<(typeof AUTOMATION_RUN_STATUSES)[number], number>;
    return {
      entered: runs.reduce((n, r) => n + r.n, 0),
      byStatus,
      steps: rule.steps.map((step, index) => {
        const mine = outcomes.filter((o) => o.step_index === index);
        const sum = (status: string) => mine.filter((o) => o.status === status).reduce((n, o) => n + o.n, 0);
        return {
          index,
          kind: step.kind,
          completed: sum('completed'),
          skipped: sum('skipped'),
          failed: sum('failed'),
          waiting: runs.filter((r) => r.status === 'waiting' && r.step_index === index).reduce((n, r) => n + r.n, 0),
          clicked: mine.reduce((n, o) => n + o.clicked, 0),
          linkClicks: linkClicks.get(index) ?? 0,
          skippedByReason: Object.fromEntries(mine.filter((o) => o.status === 'skipped').map((o) => [o.reason, o.n])),
        };
      }),
    };
  }

  /** A switched-on rule that uses a tag blocks its deletion; a switched-off one is listed. */
  const tagUsage: TagUsageProvider = async (ctx, tagId) =>
    (await repo.findRulesUsingTag(ctx.db, ctx.tenantId, tagId)).map((r) => ({ kind: 'rule' as const, id: r.id, name: r.name, blocking: r.enabled }));

  /**
   * What a tap on an automated send's button means (`auto=<run>&step=<n>&action=<id>`, see automation-engine.ts): the
   * button's tags that still exist, given with the rule as their source, when the guest tapping is the one it was sent
   * to. It only reads: the LINE module records the click in the guest's history and gives the tags (once per guest,
   * member_tags' key), and tells `recordTaps` below, which marks the run's step clicked, in the event's transaction.
   */
  const postbackResolver: PostbackResolver = async (ctx, data, tapper) => {
    const tap = automationTapOf(data);
    if (!tap) return undefined;
    const { run, rule, action } = await buttonOf(ctx, tap, 'postback');
    // A button counts for the guest it was sent to: another guest replaying its data tags nobody.
    if (!run || !rule || !action || (tapper && tapper.memberId !== run.memberId)) return { tagIds: [], label: action?.label ?? null, source: rule?.name ?? null, ruleId: rule?.id ?? null };
    const tagIds: string[] = [];
    for (const tagId of action.tagIds) {
      // Deleted since, or made a basic member tag since: nothing to give.
      if (await deps.tags.requireTag(ctx, tagId).then(mayGiveOnClick, () => false)) tagIds.push(tagId);
    }
    return { tagIds, label: action.label, source: rule.name, ruleId: rule.id, provenance: { source: 'rule', sourceRef: `${rule.id}:${tap.actionId}`, sourceLabel: rule.name, sourceDetail: action.label } };
  };

  /** Taps on automated sends' buttons, as the LINE module records them: the run's step is clicked (the first tap kept). */
  const recordTaps: PostbackTapHook = async (ctx, taps) => {
    for (const t of taps) {
      const tap = automationTapOf(t.data);
      if (tap) await repo.recordClick(ctx.db, ctx.tenantId, { runId: tap.runId, stepIndex: tap.stepIndex, memberId: t.memberId }, t.at);
    }
  };

  /**
   * The send step's button a tap or click names, with its rule and run: in the rule's version the run followed, which
   * an edit since has replaced when the guest taps a message delivered before it (the replaced steps are kept).
   */
  async function buttonOf(ctx: TenantContext, tap: { runId: string; stepIndex: number; actionId: string }, type: 'postback' | 'uri') {
    const run = await repo.findRun(ctx.db, ctx.tenantId, tap.runId);
    const rule = run && (await repo.findRule(ctx.db, ctx.tenantId, run.ruleId, 'all'));
    const steps = rule && (run.ruleVersion === rule.version ? rule.steps : await repo.findReplacedSteps(ctx.db, ctx.tenantId, rule.id, run.ruleVersion));
    const step = steps?.[tap.stepIndex];
    const action = step?.kind === 'send' ? step.messages.flatMap(buttonsOf).find((a) => a.type === type && a.id === tap.actionId) : undefined;
    return { run, rule, action };
  }

  /**
   * Tracked URL buttons of automated sends (campaigns' links, redirect and click job; see campaign-clicks.ts). A
   * click the LIFF ID token named is on the guest's timeline; when the guest is the one the send went to, the
   * button's tags are given (once per guest: member_tags' key) with the rule as their source, and the run's step is
   * marked tapped (for `if_clicked` and the counts). Anyone else clicking a forwarded link is tagged nothing.
   */
  const links: AutomationLinks = {
    async target(ctx, ref) {
      const { action } = await buttonOf(ctx, ref, 'uri');
      return action && 'uri' in action ? { uri: String(action.uri), label: action.label } : null;
    },
    async apply(ctx, ref, click, member) {
      const { run, rule, action } = await buttonOf(ctx, ref, 'uri');
      await recordInteraction(ctx, [member.id], {
        type: 'clicked',
        occurredAt: click.clickedAt,
        actionId: ref.actionId,
        actor: { type: 'guest', ref: click.lineUserId, label: member.lineDisplayName ?? '' },
        details: { label: action?.label ?? '', url: action && 'uri' in action ? action.uri : null, via: 'liff', ...(rule ? { source: rule.name, ruleId: rule.id } : {}) },
      });
      if (!run || !rule || !action || run.memberId !== member.id) return;
      await repo.recordClick(ctx.db, ctx.tenantId, { runId: run.id, stepIndex: ref.stepIndex, memberId: member.id }, click.clickedAt);
      for (const tagId of action.tagIds) {
        // Made a basic member tag since the rule was saved: a tap does not give it.
        if (!(await deps.tags.requireTag(ctx, tagId).then(mayGiveOnClick, () => true))) continue;
        try {
          await deps.tags.addTagToSelection(ctx, tagId, memberSelection(ctx, [member.id]), { source: 'rule', sourceRef: `${rule.id}:${ref.actionId}`, sourceLabel: rule.name, sourceDetail: action.label });
        } catch (error) {
          // Deleted since the message went out: nothing to give.
          if (!(error instanceof AppError)) throw error;
        }
      }
    },
  };

  return { listRules, getRule, createRule, listTemplates, createFromTemplate, updateRule, deleteRule, enableRule, disableRule, ruleStats, tagUsage, postbackResolver, recordTaps, links };
}

export type AutomationService = ReturnType<typeof createAutomationService>;

/** The run, step and button an automated postback names, or undefined for other data. */
function automationTapOf(data: string): { runId: string; stepIndex: number; actionId: string } | undefined {
  const params = new URLSearchParams(data);
  const runId = params.get('auto');
  const stepIndex = Number(params.get('step'));
  if (!runId || !UUID.test(runId) || !Number.isInteger(stepIndex) || stepIndex < 0) return undefined;
  return { runId, stepIndex, actionId: params.get('action') ?? '' };
}

/** Every tag a rule needs: its trigger's, its tag steps', and those its send steps' buttons give. */
function tagsOfRule(rule: Pick<RuleRow, 'trigger' | 'steps'>): string[] {
  const ids = rule.trigger.kind === 'tag_added' ? [rule.trigger.tagId] : [];
  for (const step of rule.steps) {
    if (step.kind === 'add_tag' || step.kind === 'remove_tag' || step.kind === 'if_tagged') ids.push(step.tagId);
    if (step.kind === 'send') for (const message of step.messages) for (const action of buttonsOf(message)) ids.push(...action.tagIds);
  }
  return [...new Set(ids)];
}

function buttonsOf(message: { type: string; actions?: ReadonlyArray<{ type: string; id?: string | undefined; label: string; tagIds: string[] }>; cards?: ReadonlyArray<{ actions: ReadonlyArray<{ type: string; id?: string | undefined; label: string; tagIds: string[] }> }> }) {
  if (message.type === 'carousel') return (message.cards ?? []).flatMap((card) => card.actions);
  return message.actions ?? [];
}

/** Audit-log labels for rules: their names (only those the viewer may see). */
export function labelRulesForAudit(ctx: RequestContext, ids: readonly string[]): Promise<Map<string, string>> {
  return repo.findRuleNames(ctx.db, ctx.tenantId, ids, propertyScopeOf(ctx));
}
