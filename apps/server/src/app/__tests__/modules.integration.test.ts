import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiClient, startSignedIn } from '../../../test/api-client.ts';
import type { TestEnv, TestTenant } from '../../../test/harness.ts';
import { contribute, defineModule, extensionPoint, type Platform } from '../../core/module.ts';
import { auditTargetLabelers } from '../../modules/audit/index.ts';
import type { MembersService } from '../../modules/members/index.ts';
import { buildApp } from '../build-app.ts';
import { MODULES } from '../modules.ts';

/**
 * A tiny module written as docs/architecture.md's five steps say (a manifest, then one line in the list): it plugs in
 * with nothing else edited. Its route goes through the same access control as every other; its job reaches the
 * queue; what it contributes reaches the owner of the extension point; its services are typed for the next module.
 */
const greetings = extensionPoint<string>('example.greetings');

const exampleModule = defineModule({
  name: 'example',
  permissions: ['members.read'],
  create: ({ extensions, members }: Platform & { members: MembersService }) => {
    const example = {
      greetings: () => extensions.of(greetings),
      memberNo: async (...args: Parameters<MembersService['getMember']>) => (await members.getMember(...args)).memberNo,
    };
    const routes: FastifyPluginAsyncZod = async (app) => {
      app.get('/api/example/:id', { schema: { params: z.strictObject({ id: z.uuid() }) }, config: { access: 'members.read' } }, async (req) => ({
        greetings: example.greetings(),
        memberNo: await example.memberNo(req.ctx, req.params.id),
      }));
    };
    return {
      services: { example },
      routes: [routes],
      jobs: [{ name: 'example.tidy', schema: z.strictObject({}), cron: '0 3 * * *', handler: async () => undefined }],
      contributes: [...contribute(greetings, '你好'), ...contribute(auditTargetLabelers, { example: async () => new Map() })],
    };
  },
});

let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn({}, { runtime: { modules: [...MODULES, exampleModule] } }));
});
afterAll(() => env.close());

describe('a module plugs in by its manifest', () => {
  it('serves its routes behind the access control, with the services of the modules it asked for', async () => {
    const member = (await admin.post('/api/members', { lastName: '王', firstName: '小明', propertyId: tenant.propertyIds[0] })).body;
    const answer = await admin.get(`/api/example/${member.id}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ greetings: ['你好'], memberNo: member.memberNo });
    expect((await new ApiClient(env).get(`/api/example/${member.id}`)).status).toBe(401);
  });

  it('is created after the modules it needs, with its jobs and contributions collected', () => {
    const created = env.runtime.modules.map((module) => module.name);
    expect(created.at(-1)).toBe('example');
    expect(created.indexOf('members')).toBeLessThan(created.indexOf('example'));
    expect(env.runtime.modules.at(-1)!.jobs!.map((job) => job.name)).toEqual(['example.tidy']);
    expect(env.runtime.extensions.of(greetings)).toEqual(['你好']);
    expect(env.runtime.extensions.of(auditTargetLabelers).flatMap(Object.keys)).toEqual(['account', 'role', 'member', 'tag', 'segment', 'line_channel', 'campaign', 'binding_review', 'automation_rule', 'pms_connection', 'example']);
  });

  it('may not check a permission its manifest does not declare: the app refuses to start', async () => {
    const sloppy: FastifyPluginAsyncZod = async (app) => {
      app.get('/api/sloppy', { config: { access: 'audit.read' } }, async () => ({}));
    };
    const modules = [...env.runtime.modules, { name: 'sloppy', permissions: ['members.read' as const], routes: [sloppy], services: {} }];
    await expect(buildApp({ ...env.runtime, modules }, { serveWeb: false })).rejects.toThrow("modules/sloppy: GET /api/sloppy checks 'audit.read', which its manifest does not declare in permissions");
  });

  it('may not leave a route without config.access, outside /api/ too (there it would otherwise be public): the app refuses to start', async () => {
    const open: FastifyPluginAsyncZod = async (app) => {
      app.post('/hooks/pms/:tenantId', async () => ({}));
    };
    const modules = [...env.runtime.modules, { name: 'open', routes: [open], services: {} }];
    await expect(buildApp({ ...env.runtime, modules }, { serveWeb: false })).rejects.toThrow('modules/open: POST /hooks/pms/:tenantId must declare config.access');
  });
});
