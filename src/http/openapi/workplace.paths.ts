/** OpenAPI paths of the staff workplace's lists (issue 12): my task counts, a project by code, a project's open tasks. */

const problem = { description: 'problem+json', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [String(status), problem]));
const jsonOf = (schema: Record<string, unknown>) => ({ 'application/json': { schema } });

const taskCounts = {
  type: 'object',
  required: ['today', 'open', 'overdue', 'dueToday', 'byKind'],
  properties: {
    today: { type: 'string', format: 'date', description: 'the Beijing calendar day the counts are for' },
    open: { type: 'integer' },
    overdue: { type: 'integer' },
    dueToday: { type: 'integer' },
    byKind: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'open', 'overdue', 'dueToday'],
        properties: { kind: { type: 'string' }, open: { type: 'integer' }, overdue: { type: 'integer' }, dueToday: { type: 'integer' } },
      },
    },
  },
};

const holder = {
  type: 'object',
  required: ['userId', 'name', 'role', 'orgName'],
  properties: { userId: { type: 'string', format: 'uuid' }, name: { type: 'string' }, role: { type: 'string' }, orgName: { type: ['string', 'null'] } },
};

const projectTasks = {
  type: 'object',
  required: ['projectId', 'code', 'today', 'items'],
  properties: {
    projectId: { type: 'string', format: 'uuid' },
    code: { type: 'string' },
    today: { type: 'string', format: 'date' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'kind', 'role', 'dueDate', 'overdue', 'assigned', 'holders', 'holderCount'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          kind: { type: 'string' },
          step: { type: ['integer', 'null'] },
          role: { type: 'string' },
          orgId: { type: ['string', 'null'] },
          orgName: { type: ['string', 'null'] },
          dueDate: { type: 'string', format: 'date' },
          overdue: { type: 'boolean' },
          assigned: { type: 'boolean', description: 'held by one named person (delegated) rather than by everyone of its role' },
          holders: { type: 'array', items: holder, description: 'at most 20; applicants see only people of their own organisation' },
          holderCount: { type: 'integer' },
          openedAt: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
};

export const workplacePaths = {
  '/api/v1/organisations': {
    get: {
      summary: 'The organisations that have projects, with how many (the projects filter); applicants see only their own',
      responses: {
        200: {
          description: 'organisations',
          content: jsonOf({
            type: 'object',
            required: ['items'],
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'name', 'kind', 'projects'],
                  properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' }, kind: { type: 'string' }, projects: { type: 'integer' } },
                },
              },
            },
          }),
        },
        ...errors(401),
      },
    },
  },
  '/api/v1/tasks/counts': {
    get: {
      summary: 'How many open tasks I have, per kind, and how many are overdue or due today (the menu badges)',
      responses: { 200: { description: 'counts', content: jsonOf(taskCounts) }, ...errors(401) },
    },
  },
  '/api/v1/projects/by-code/{code}': {
    get: {
      summary: 'A project named by its code (YC-2026-05-001), as GET /api/v1/projects/{id} answers it; 404 when unknown or not visible',
      parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Z]{1,10}-\\d{4}-\\d{2}-\\d{3,6}$' } }],
      responses: { 200: { description: 'the project', content: { 'application/json': { schema: { $ref: '#/components/schemas/Project' } } } }, ...errors(400, 401, 404) },
    },
  },
  '/api/v1/projects/{id}/tasks': {
    get: {
      summary: "The project's open tasks and who holds them (name, role, organisation), by due date",
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      responses: { 200: { description: 'open tasks with holders', content: jsonOf(projectTasks) }, ...errors(400, 401, 404) },
    },
  },
};
