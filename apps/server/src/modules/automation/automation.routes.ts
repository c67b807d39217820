import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZAutomationEnable, ZAutomationFromTemplate, ZAutomationRule, ZAutomationRuleCreate, ZAutomationRuleListItem, ZAutomationRulePatch, ZAutomationStats, ZAutomationTemplate } from '@innkeeper/contracts/api';
import { ZRuleIdParams } from './automation.schemas.ts';
import type { AutomationService } from './automation.service.ts';

export function automationRoutes(deps: { automation: AutomationService }): FastifyPluginAsyncZod {
  const { automation } = deps;
  return async (app) => {
    // Reading needs campaigns.edit or campaigns.push: the service checks either (a route names one permission).
    app.get('/api/automation/rules', {
      schema: { tags: ['automation'], summary: 'Automation rules the account may see, with how many guests entered and completed each', response: { 200: z.object({ data: z.array(ZAutomationRuleListItem) }) } },
      config: { access: 'session' },
    }, async (req) => automation.listRules(req.ctx));

    app.post('/api/automation/rules', {
      schema: { tags: ['automation'], summary: 'Create a rule (switched off)', body: ZAutomationRuleCreate, response: { 201: ZAutomationRule } },
      config: { access: 'campaigns.edit' },
    }, async (req, reply) => {
      reply.code(201);
      return automation.createRule(req.ctx, req.body);
    });

    app.get('/api/automation/templates', {
      schema: { tags: ['automation'], summary: 'The ready scenarios: 商務住宿優惠, 家庭旅遊推播, VIP 續住優惠', response: { 200: z.object({ data: z.array(ZAutomationTemplate) }) } },
      config: { access: 'session' },
    }, async (req) => automation.listTemplates(req.ctx));

    app.post('/api/automation/rules/from-template', {
      schema: { tags: ['automation'], summary: 'Create a rule from a template (switched off; its tags made if missing)', body: ZAutomationFromTemplate, response: { 201: ZAutomationRule } },
      config: { access: 'campaigns.edit' },
    }, async (req, reply) => {
      reply.code(201);
      return automation.createFromTemplate(req.ctx, req.body);
    });

    app.get('/api/automation/rules/:ruleId', {
      schema: { tags: ['automation'], summary: 'A rule', params: ZRuleIdParams, response: { 200: ZAutomationRule } },
      config: { access: 'session' },
    }, async (req) => automation.getRule(req.ctx, req.params.ruleId));

    app.patch('/api/automation/rules/:ruleId', {
      schema: { tags: ['automation'], summary: 'Change a switched-off rule (its guests under way leave it)', params: ZRuleIdParams, body: ZAutomationRulePatch, response: { 200: ZAutomationRule } },
      config: { access: 'campaigns.edit' },
    }, async (req) => automation.updateRule(req.ctx, req.params.ruleId, req.body));

    app.delete('/api/automation/rules/:ruleId', {
      schema: { tags: ['automation'], summary: 'Delete a switched-off rule', params: ZRuleIdParams, response: { 204: z.null() } },
      config: { access: 'campaigns.edit' },
    }, async (req, reply) => {
      await automation.deleteRule(req.ctx, req.params.ruleId);
      reply.code(204);
      return null;
    });

    app.post('/api/automation/rules/:ruleId/enable', {
      schema: { tags: ['automation'], summary: 'Switch a rule on, approving the version reviewed (its sends are pushes)', params: ZRuleIdParams, body: ZAutomationEnable, response: { 200: ZAutomationRule } },
      config: { access: 'campaigns.push' },
    }, async (req) => automation.enableRule(req.ctx, req.params.ruleId, req.body));

    app.post('/api/automation/rules/:ruleId/disable', {
      schema: { tags: ['automation'], summary: 'Switch a rule off (nobody new enters; guests under way wait)', params: ZRuleIdParams, response: { 200: ZAutomationRule } },
      config: { access: 'session' },
    }, async (req) => automation.disableRule(req.ctx, req.params.ruleId));

    app.get('/api/automation/rules/:ruleId/stats', {
      schema: { tags: ['automation'], summary: 'Guests who entered, where they are, and per step how many completed, were skipped, failed or tapped', params: ZRuleIdParams, response: { 200: ZAutomationStats } },
      config: { access: 'session' },
    }, async (req) => automation.ruleStats(req.ctx, req.params.ruleId));
  };
}
