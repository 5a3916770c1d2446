import { z } from 'zod';
import { createOrganisationSchema, createUserSchema, issueTokenSchema, updateOrganisationSchema, updateUserSchema } from '../routes/admin.routes.ts';
import { disclosureFilterSchema, disclosureQuerySchema } from '../routes/disclosure.routes.ts';

/**
 * OpenAPI paths of 人员与单位 (admin), the rules view and the 公示 page (issue 13), spread into
 * /openapi.json by src/http/openapi.ts.
 */
function schemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return json;
}
const queryParameters = (schema: z.ZodObject) =>
  Object.entries(schema.shape).map(([name, field]) => ({ name, in: 'query', required: false, schema: schemaOf(field as z.ZodType) }));
const problem = { description: 'problem+json', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [String(status), problem]));
const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema: schemaOf(schema) } } });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const anyJson = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } } });

export function adminPaths() {
  return {
    '/api/v1/admin/orgs': {
      get: { summary: 'Admin: organisations (单位)', responses: { 200: anyJson('items'), ...errors(401, 403) } },
      post: { summary: 'Admin: add an organisation; a 统一社会信用代码 is checked with its check character', requestBody: body(createOrganisationSchema), responses: { 201: anyJson('the organisation'), ...errors(400, 401, 403) } },
    },
    '/api/v1/admin/orgs/{id}': {
      patch: {
        summary: "Admin: change an organisation's name or 统一社会信用代码 (checked with its check character; null clears it)",
        parameters: [idParam],
        requestBody: body(updateOrganisationSchema),
        responses: { 200: anyJson('the organisation'), ...errors(400, 401, 403, 404) },
      },
    },
    '/api/v1/admin/users': {
      get: { summary: 'Admin: every user with organisation, live API tokens and last sign-in', responses: { 200: anyJson('items'), ...errors(401, 403) } },
      post: { summary: 'Admin: add a user and (by default) email them an invitation, which is a one-time sign-in link', requestBody: body(createUserSchema), responses: { 201: anyJson('the user and whether the invitation went out'), ...errors(400, 401, 403) } },
    },
    '/api/v1/admin/users/{id}': {
      patch: { summary: "Admin: change a user's name, role or organisation (from their next request on)", parameters: [idParam], requestBody: body(updateUserSchema), responses: { 200: anyJson('the user'), ...errors(400, 401, 403, 404) } },
    },
    '/api/v1/admin/users/{id}/invite': {
      post: { summary: 'Admin: email the user a fresh invitation (sign-in link and code)', parameters: [idParam], responses: { 200: anyJson('sent, expiresAt'), ...errors(400, 401, 403, 404, 422, 503) } },
    },
    '/api/v1/admin/users/{id}/tokens': {
      get: { summary: "Admin: a user's API tokens (SHA-256, label, expiry, revocation)", parameters: [idParam], responses: { 200: anyJson('tokens'), ...errors(400, 401, 403, 404) } },
      post: { summary: 'Admin: issue an API token; the token is in this answer only', parameters: [idParam], requestBody: body(issueTokenSchema), responses: { 201: anyJson('token, expiresAt'), ...errors(400, 401, 403, 404, 422) } },
    },
    '/api/v1/rules': {
      get: {
        summary: 'The rules in force, read-only (staff): plan, items, approval threshold, cadences, reminder policies, tranche rules, scoring weights, 双监控 thresholds',
        responses: { 200: anyJson('the rules, with Chinese and English wording'), ...errors(401, 403) },
      },
    },
    '/api/v1/public/projects': {
      get: {
        summary: 'Public disclosure (no login); supervision states read as executing (实施中) until concluded',
        security: [],
        parameters: queryParameters(disclosureQuerySchema),
        responses: { 200: anyJson('approved projects, amounts, grades'), ...errors(400) },
      },
    },
    '/api/v1/public/projects.csv': {
      get: { summary: 'Public disclosure as CSV (no login), the whole selection unless limit is given', security: [], parameters: queryParameters(disclosureQuerySchema), responses: { 200: { description: 'CSV' }, ...errors(400) } },
    },
    '/gongshi': {
      get: {
        summary: 'The public notice page (公示), server-rendered HTML, no login, no script',
        security: [],
        parameters: [...queryParameters(disclosureFilterSchema), { name: 'page', in: 'query', required: false, schema: { type: 'integer', minimum: 1 } }, { name: 'lang', in: 'query', required: false, schema: { type: 'string', enum: ['zh', 'en'] } }],
        responses: { 200: { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } }, ...errors(400) },
      },
    },
    '/public': { get: { summary: 'Redirects (301) to /gongshi, keeping the query', security: [], responses: { 301: { description: 'to /gongshi' } } } },
  };
}
