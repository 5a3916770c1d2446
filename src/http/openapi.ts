import { z } from 'zod';
import { PLAN_DOCUMENT_NUMBER } from '../../config/plan.ts';
import { createProjectSchema, eventPayloadSchemas, PROJECT_EVENT_TYPES } from '../../machines/project.schemas.ts';
import { beneficiarySchema, overlapCheckSchema, priorSupportSchema } from './routes/beneficiaries.routes.ts';
import { createFundSchema, ledgerQuerySchema, recoverySchema } from './routes/funds.routes.ts';
import { projectListQuerySchema } from './routes/projects.routes.ts';
import { countyPaths } from './openapi/county.paths.ts';
import { revokeTokenSchema } from './routes/admin.routes.ts';
import { adminPaths } from './openapi/admin.paths.ts';
import { codeSignInSchema, signInRequestSchema } from './routes/auth.routes.ts';
import { workplacePaths } from './openapi/workplace.paths.ts';
import { attachmentPaths } from './openapi/attachments.paths.ts';
import { taskDecisionSchema, taskDelegationSchema, taskListQuerySchema } from './routes/tasks.routes.ts';

/** JSON Schema (2020-12, as OpenAPI 3.1 uses) of a zod schema, as the client sends it. */
function schemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return json;
}

function queryParameters(schema: z.ZodObject) {
  return Object.entries(schema.shape).map(([name, field]) => ({
    name,
    in: 'query',
    required: false,
    schema: schemaOf(field as z.ZodType),
  }));
}

const problem = { description: 'problem+json', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [String(status), problem]));
const json = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const idempotencyHeader = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'A retried POST with the same key applies once and gets the first answer again.',
  schema: { type: 'string', maxLength: 200 },
};

/** The OpenAPI document, generated from the same zod schemas the routes validate with. */
export function buildOpenApiDocument(publicUrl: string) {
  const eventSchemas = Object.fromEntries(
    PROJECT_EVENT_TYPES.map((type) => [
      `Event_${type}`,
      { allOf: [{ type: 'object', properties: { type: { const: type } }, required: ['type'] }, schemaOf(eventPayloadSchemas[type])] },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'fundflow API',
      version: '1',
      description: `阳城县中小企业奖励资金项目管理 (${PLAN_DOCUMENT_NUMBER}). Money is integer fen; dates are Asia/Shanghai calendar days.`,
    },
    servers: [{ url: publicUrl }],
    security: [{ bearer: [] }, { session: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        session: { type: 'apiKey', in: 'cookie', name: 'ff_session', description: 'browser session; writes also need the X-CSRF-Token header (csrfToken of GET /api/v1/auth/me)' },
      },
      schemas: {
        Problem: {
          type: 'object',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            code: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
        CreateProject: schemaOf(createProjectSchema),
        Project: { type: 'object', description: 'state, context, version and the events allowed now for the caller' },
        ...eventSchemas,
        CreateFund: schemaOf(createFundSchema),
        Recovery: schemaOf(recoverySchema),
        Beneficiary: schemaOf(beneficiarySchema),
        PriorSupport: schemaOf(priorSupportSchema),
        OverlapCheck: schemaOf(overlapCheckSchema),
        TaskDecision: schemaOf(taskDecisionSchema),
        TaskDelegation: schemaOf(taskDelegationSchema),
        Event: { oneOf: PROJECT_EVENT_TYPES.map((type) => ({ $ref: `#/components/schemas/Event_${type}` })) },
      },
    },
    paths: {
      ...ledgerPaths(),
      ...authPaths(),
      ...taskPaths(),
      ...workplacePaths,
      ...shellPaths(),
      ...countyPaths,
      ...attachmentPaths,
      '/healthz': { get: { summary: 'process up', security: [], responses: { 200: { description: 'ok' } } } },
      '/readyz': { get: { summary: 'database and Redis answer', security: [], responses: { 200: { description: 'ready' }, ...errors(503) } } },
      '/metrics': { get: { summary: 'Prometheus metrics', security: [], responses: { 200: { description: 'text' } } } },
      '/api/v1/projects': {
        get: {
          summary: 'List projects (applicants see their own organisation only)',
          parameters: queryParameters(projectListQuerySchema),
          responses: { 200: { description: 'a page of projects and nextCursor' }, ...errors(400, 401) },
        },
        post: {
          summary: 'Propose a project (proposed.draft)',
          parameters: [idempotencyHeader],
          requestBody: { required: true, content: json('CreateProject') },
          responses: { 201: { description: 'created', content: json('Project') }, ...errors(400, 401, 403, 413, 415, 422) },
        },
      },
      '/api/v1/projects/{id}': {
        get: { summary: 'A project', parameters: [idParam], responses: { 200: { description: 'the project', content: json('Project') }, ...errors(400, 401, 404) } },
      },
      '/api/v1/projects/{id}/history': {
        get: { summary: 'The audit trail, hash-chained', parameters: [idParam], responses: { 200: { description: 'events in order' }, ...errors(400, 401, 404) } },
      },
      '/api/v1/projects/{id}/events': {
        post: {
          summary: 'Send one event to the project',
          parameters: [
            idParam,
            idempotencyHeader,
            { name: 'If-Match', in: 'header', required: false, description: 'the version the change is based on', schema: { type: 'string' } },
          ],
          requestBody: { required: true, content: json('Event') },
          responses: { 200: { description: 'applied', content: json('Project') }, ...errors(400, 401, 403, 404, 409, 413, 415, 422) },
        },
      },
      ...adminPaths(),
    },
  };
}

const uuidParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string', format: 'uuid' } });
const ok = (description: string) => ({ 200: { description } });
const body = (ref: string) => ({ required: true, content: json(ref) });

/** Funds, ledger, beneficiaries, disclosure, schedules, alerts and reports. */
function ledgerPaths() {
  return {
    '/api/v1/funds': {
      get: { summary: 'Funds with balances and status (open / exhausted)', responses: { ...ok('funds'), ...errors(401, 403) } },
      post: { summary: 'Record a fund received by the Finance Bureau', requestBody: body('CreateFund'), responses: { 201: { description: 'created' }, ...errors(400, 401, 403) } },
    },
    '/api/v1/funds/{id}': { get: { summary: 'A fund with balances per category and item', parameters: [uuidParam('id')], responses: { ...ok('fund'), ...errors(400, 401, 403, 404) } } },
    '/api/v1/ledger': { get: { summary: 'Ledger entries, paged by id', parameters: queryParameters(ledgerQuerySchema), responses: { ...ok('entries'), ...errors(400, 401, 403) } } },
    '/api/v1/projects/{id}/recoveries': {
      post: {
        summary: 'Money paid back (追回资金): an audited RECORD_RECOVERY event with its ledger entry, in one transaction (finance)',
        parameters: [uuidParam('id'), idempotencyHeader],
        requestBody: body('Recovery'),
        responses: { 201: { description: 'recorded: projectId, fundId, amountFen, auditSeq' }, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    '/api/v1/beneficiaries': {
      get: { summary: 'The beneficiary registry', responses: { ...ok('beneficiaries'), ...errors(400, 401, 403) } },
      post: { summary: 'Add or update a beneficiary (统一社会信用代码 checked)', requestBody: body('Beneficiary'), responses: { 201: { description: 'saved' }, ...errors(400, 401, 403) } },
    },
    '/api/v1/beneficiaries/listing-reserve': { get: { summary: 'Item 11 listing reserve list, provincial level and above first', responses: { ...ok('ordered list'), ...errors(401, 403) } } },
    '/api/v1/beneficiaries/{code}': { get: { summary: 'A beneficiary with the support it already had', parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string' } }], responses: { ...ok('beneficiary'), ...errors(400, 401, 403, 404) } } },
    '/api/v1/beneficiaries/{code}/prior-support': {
      post: { summary: 'Record support already had under another policy', parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string' } }], requestBody: body('PriorSupport'), responses: { 201: { description: 'recorded' }, ...errors(400, 401, 403, 404) } },
    },
    '/api/v1/overlap-check': { post: { summary: '就高不重复: overlaps and the approvable amount', requestBody: body('OverlapCheck'), responses: { ...ok('overlaps and decision'), ...errors(400, 401, 403) } } },
    '/api/v1/public/projects': { get: { summary: 'Public disclosure (no login)', security: [], responses: ok('approved projects, amounts, grades') } },
    '/api/v1/public/projects.csv': { get: { summary: 'Public disclosure as CSV (no login)', security: [], responses: ok('CSV') } },
    '/api/v1/projects/{id}/schedule': { get: { summary: 'Every planned reminder with its status', parameters: [uuidParam('id')], responses: { ...ok('deadlines and reminders'), ...errors(400, 401, 404) } } },
    '/api/v1/alerts': { get: { summary: "Alerts for the caller's role", responses: { ...ok('alerts'), ...errors(400, 401) } } },
    '/api/v1/alerts/{id}/acknowledge': { post: { summary: 'Acknowledge an alert', parameters: [uuidParam('id')], responses: { ...ok('acknowledged'), ...errors(400, 401, 404) } } },
    '/api/v1/reports/evaluation/{file}': { get: { summary: 'Evaluation report (json, html, xlsx, csv via ?format= or the file extension)', parameters: [{ name: 'file', in: 'path', required: true, description: 'the project id, optionally ending in .html, .xlsx, .csv or .json', schema: { type: 'string' } }], responses: { ...ok('report'), ...errors(400, 401, 403, 404) } } },
    '/api/v1/reports/supervision': { get: { summary: 'Supervision report for a period (?from=&to=&format=)', responses: { ...ok('report'), ...errors(400, 401, 403) } } },
    '/api/v1/reports/fund-execution': { get: { summary: 'Fund execution by category and item (?fundId=&format=)', responses: { ...ok('report'), ...errors(400, 401, 403, 404) } } },
    ...securityPaths(),
  };
}

/** Beneficiary history and the admin routes for losing access (issue 11). */
function securityPaths() {
  const codeParam = { name: 'code', in: 'path', required: true, schema: { type: 'string' } };
  return {
    '/api/v1/beneficiaries/{code}/history': {
      get: { summary: 'Every version of a beneficiary record, oldest first, with who changed it and when (append-only)', parameters: [codeParam], responses: { ...ok('versions'), ...errors(400, 401, 403, 404) } },
    },
    '/api/v1/admin/tokens/revoke': {
      post: {
        summary: 'Admin: revoke an API token (by the token or its SHA-256); this process stops accepting it at once, others within TOKEN_CACHE_SECONDS',
        requestBody: { required: true, content: { 'application/json': { schema: schemaOf(revokeTokenSchema) } } },
        responses: { ...ok('the revoked token'), ...errors(400, 401, 403, 404) },
      },
    },
    '/api/v1/admin/users/{id}/tokens': {
      get: { summary: "Admin: a user's API tokens (SHA-256, label, expiry, revocation)", parameters: [uuidParam('id')], responses: { ...ok('tokens'), ...errors(400, 401, 403, 404) } },
    },
    '/api/v1/admin/users/{id}/deactivate': {
      post: {
        summary: 'Admin: deactivate a user; their tokens and unused email links are revoked in the same transaction',
        parameters: [uuidParam('id')],
        responses: { ...ok('counts of revoked tokens and links'), ...errors(400, 401, 403, 404, 422) },
      },
    },
  };
}

const userSchema = {
  type: 'object',
  required: ['id', 'name', 'email', 'role', 'orgId', 'orgName', 'locale'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    email: { type: 'string' },
    role: { type: 'string', enum: ['applicant', 'center', 'finance', 'leadership', 'inspector', 'supervisor', 'evaluator', 'authority', 'admin'] },
    orgId: { type: ['string', 'null'], format: 'uuid' },
    orgName: { type: ['string', 'null'] },
    locale: { type: 'string', enum: ['zh-CN', 'en'] },
  },
};
const signedInSchema = {
  type: 'object',
  required: ['user', 'csrfToken'],
  properties: { user: userSchema, csrfToken: { type: ['string', 'null'], description: 'send as X-CSRF-Token with every write made with the cookie; null for bearer tokens' } },
};
const html = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });
const formBody = (properties: Record<string, unknown>, required: string[]) => ({
  required: true,
  content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', properties, required } } },
});
const tokenParam = { name: 'token', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' } };

/** Sign-in by emailed link or code, and browser sessions (cookie ff_session, HttpOnly, SameSite=Lax). */
function authPaths() {
  return {
    '/api/v1/auth/sign-in': {
      post: {
        summary: 'Email a one-time sign-in link and 6-digit code (15 minutes, single use). Same answer whether or not the address has an account; rate-limited per address and per client',
        security: [],
        requestBody: { required: true, content: { 'application/json': { schema: schemaOf(signInRequestSchema) } } },
        responses: {
          202: { description: 'accepted', content: { 'application/json': { schema: { type: 'object', required: ['sent'], properties: { sent: { const: true } } } } } },
          ...errors(400, 429),
        },
      },
    },
    '/api/v1/auth/sessions': {
      post: {
        summary: 'Sign in with the emailed code: sets the ff_session cookie',
        security: [],
        requestBody: { required: true, content: { 'application/json': { schema: schemaOf(codeSignInSchema) } } },
        responses: {
          201: { description: 'signed in', content: { 'application/json': { schema: { ...signedInSchema, properties: { ...signedInSchema.properties, next: { type: ['string', 'null'] } } } } } },
          ...errors(400, 401, 429),
        },
      },
      get: {
        summary: 'My live sessions',
        responses: {
          200: {
            description: 'sessions, most recently used first',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['sessions'],
                  properties: {
                    sessions: {
                      type: 'array',
                      items: {
                        type: 'object',
                        required: ['id', 'createdAt', 'lastSeenAt', 'userAgent', 'current'],
                        properties: {
                          id: { type: 'string', format: 'uuid' },
                          createdAt: { type: 'string', format: 'date-time' },
                          lastSeenAt: { type: 'string', format: 'date-time' },
                          userAgent: { type: ['string', 'null'] },
                          current: { type: 'boolean' },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
          ...errors(401),
        },
      },
    },
    '/api/v1/auth/sessions/{id}': {
      delete: { summary: 'Revoke one of my sessions (X-CSRF-Token with the cookie)', parameters: [uuidParam('id')], responses: { 204: { description: 'revoked' }, ...errors(400, 401, 403, 404) } },
    },
    '/api/v1/auth/me': {
      get: { summary: 'Who I am, and the CSRF token of my session', responses: { 200: { description: 'the signed-in user', content: { 'application/json': { schema: signedInSchema } } }, ...errors(401) } },
    },
    '/api/v1/auth/sign-out': {
      post: { summary: 'End this session and clear the cookie (X-CSRF-Token with the cookie)', responses: { 204: { description: 'signed out' }, ...errors(401, 403) } },
    },
    '/sign-in/{token}': {
      get: { summary: 'Page with a “继续登录” button; opening it never signs in (mail scanners open links)', security: [], parameters: [tokenParam], responses: { 200: html('the page'), 404: html('unknown link'), 410: html('used or expired; offers a new link') } },
      post: {
        summary: "The page's form: signs in, sets ff_session and redirects (303) to next or /",
        security: [],
        parameters: [tokenParam],
        requestBody: formBody({ nonce: { type: 'string' } }, ['nonce']),
        responses: { 303: { description: 'signed in' }, 403: html('the form was not from the page'), 404: html('unknown link'), 410: html('used or expired') },
      },
    },
    '/{page}': {
      get: {
        summary: 'The staff pages (single-page app): a browser navigation (Accept names text/html) to any path outside /api gets index.html, so deep links such as /projects/YC-2026-05-001 work; other clients get the problem+json 404',
        security: [],
        parameters: [{ name: 'page', in: 'path', required: true, description: 'any path of the staff pages, e.g. projects/YC-2026-05-001', schema: { type: 'string' } }],
        responses: { 200: html('the staff pages'), 404: problem },
      },
    },
    '/sign-in': {
      post: { summary: 'Form twin of POST /api/v1/auth/sign-in (no script needed)', security: [], requestBody: formBody({ email: { type: 'string' }, next: { type: 'string' } }, ['email']), responses: { 202: html('sent, if the address has an account'), 400: html('bad address'), 429: html('too many requests') } },
    },
  };
}

const linkTokenParam = { name: 'token', in: 'path', required: true, description: 'the email link token (43 characters, base64url)', schema: { type: 'string' } };

/** My tasks, a decision, a delegation; and the email links (HTML pages, no bearer). */
function taskPaths() {
  return {
    '/api/v1/tasks': {
      get: { summary: "My tasks: assigned to me, or of my role (and organisation) and held by nobody", parameters: queryParameters(taskListQuerySchema), responses: { ...ok('tasks'), ...errors(400, 401) } },
    },
    '/api/v1/tasks/{id}/decision': {
      post: { summary: 'Decide a task (approve, reject, return): the same events as the email link, channel api', parameters: [uuidParam('id')], requestBody: body('TaskDecision'), responses: { 200: { description: 'applied', content: json('Project') }, ...errors(400, 401, 403, 404, 409, 422) } },
    },
    '/api/v1/tasks/{id}/delegate': {
      post: { summary: 'Hand an open task to another user of its role (not to yourself); audited as DELEGATE_TASK; unused links are revoked', parameters: [uuidParam('id')], requestBody: body('TaskDelegation'), responses: { ...ok('id, assigneeId, auditSeq'), ...errors(400, 401, 404, 409) } },
    },
    '/t/{token}': {
      get: { summary: 'Email link: the task, the project and a decision form; changes nothing', security: [], parameters: [linkTokenParam], responses: { 200: html('the task page'), 404: html('unknown link'), 410: html('used, revoked, expired or closed: what happened, when, by whom') } },
      head: { summary: 'Email link (HEAD, as mail scanners send): changes nothing', security: [], parameters: [linkTokenParam], responses: { 200: { description: 'ok' }, 404: { description: 'unknown link' }, 410: { description: 'no longer valid' } } },
      post: {
        summary: "The link's form: acts once as the link's recipient (link spent and event written in one transaction)",
        security: [],
        parameters: [linkTokenParam],
        requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', properties: { decision: { enum: ['approve', 'reject', 'return'] }, comment: { type: 'string' }, nonce: { type: 'string' }, decisionBody: { enum: ['county-government', 'leadership-group'] }, decisionNumber: { type: 'string', description: "item 13's last step: the 会议纪要 number" }, decisionDate: { type: 'string', format: 'date' } }, required: ['decision', 'nonce'] } } } },
        responses: { 200: html('recorded'), 400: html('the form again with the problem'), 403: html('form not genuine or task no longer yours'), 410: html('link no longer valid'), 422: html('refused by a rule') },
      },
    },
  };
}

/** What the process serves besides the API: its own description, and two library UIs mounted whole. */
function shellPaths() {
  return {
    '/openapi.json': { get: { summary: 'This document', security: [], responses: ok('OpenAPI 3.1') } },
    '/docs': { get: { summary: 'Swagger UI of this document (all paths below /docs are its assets)', security: [], 'x-mount': true, responses: ok('HTML') } },
    '/admin/queues': { get: { summary: 'Bull Board, read-only queue view for admins (all paths below are its UI and API)', 'x-mount': true, responses: { ...ok('HTML'), ...errors(401, 403) } } },
    '/dev/mail': { get: { summary: 'Development only: the local mailbox (absent in production)', security: [], responses: ok('HTML') } },
  };
}
