import { z } from 'zod';
import { alertListQuerySchema, acknowledgeAlertSchema } from '../routes/schedule.routes.ts';
import { dashboardFundQuerySchema, dashboardListQuerySchema } from '../routes/dashboard.routes.ts';
import { ledgerExportQuerySchema } from '../routes/funds.routes.ts';

/** The county's view (issue 13): dashboard panels, alerts with filters, the ledger export, the monthly-report history. */

function schemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return json;
}

function queryParameters(schema: z.ZodObject) {
  return Object.entries(schema.shape).map(([name, field]) => ({ name, in: 'query', required: false, schema: schemaOf(field as z.ZodType) }));
}

const problem = { description: 'problem+json', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [String(status), problem]));
const ok = (description: string) => ({ 200: { description } });
const readers = 'finance, center, supervisor, leadership, authority, admin';

const panel = (summary: string, query?: z.ZodObject) => ({
  get: {
    summary: `${summary} (dashboard panel; ${readers})`,
    ...(query ? { parameters: queryParameters(query) } : {}),
    responses: { ...ok('the panel'), ...errors(...(query ? [400, 401, 403] : [401, 403])) },
  },
});

export const countyPaths = {
  '/api/v1/dashboard/balances': panel('Fund balances in total, per category and per item: allocated, committed, disbursed, released, recovered, available', dashboardFundQuerySchema),
  '/api/v1/dashboard/funnel': panel('Projects per stage, from proposal to closing, and the ends'),
  '/api/v1/dashboard/overdue': panel('Overdue deadlines and tasks (Beijing today), per kind and item, the most overdue listed', dashboardListQuerySchema),
  '/api/v1/dashboard/lights': panel('双监控 lights of executing projects as the latest daily check left them', dashboardListQuerySchema),
  '/api/v1/dashboard/disbursement': panel('Net disbursed against net committed, in total and per item, beside the share of the year elapsed', dashboardFundQuerySchema),
  '/api/v1/dashboard/month': panel("This Beijing month's new proposals and decisions"),
  '/api/v1/alerts': {
    get: {
      summary: "Alerts for the caller's role (admins: all), newest first, by kind (or family overdue, deviation), colour, item and acknowledged or not",
      parameters: queryParameters(alertListQuerySchema),
      responses: { ...ok('items and next ({ before, beforeId } or null)'), ...errors(400, 401) },
    },
  },
  '/api/v1/alerts/{id}/acknowledge': {
    post: {
      summary: 'Acknowledge an open alert of my role, with an optional note',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      requestBody: { required: false, content: { 'application/json': { schema: schemaOf(acknowledgeAlertSchema) } } },
      responses: { ...ok('acknowledged'), ...errors(400, 401, 404) },
    },
  },
  '/api/v1/ledger/export': {
    get: {
      summary: `The ledger with the same filters as GET /api/v1/ledger, every matching entry, as CSV or XLSX (${readers})`,
      parameters: queryParameters(ledgerExportQuerySchema),
      responses: { ...ok('CSV or XLSX attachment'), ...errors(400, 401, 403, 404) },
    },
  },
  '/api/v1/reports/monthly-history': {
    get: {
      summary: `The monthly supervision and fund execution reports that were emailed: each month, its recipients and delivery status (${readers})`,
      responses: { ...ok('months, newest first'), ...errors(401, 403) },
    },
  },
};
