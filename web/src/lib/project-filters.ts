import { STATE_NAMES } from './labels.ts';

/** The projects list's filters, kept in the URL so a filtered list can be linked (/projects?state=executing&light=red). */
export interface ProjectFilter {
  state?: string | undefined;
  item?: number | undefined;
  orgId?: string | undefined;
  overdue?: boolean | undefined;
  light?: 'green' | 'yellow' | 'red' | undefined;
  /** Part of the code or title. */
  q?: string | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LIGHTS = ['green', 'yellow', 'red'] as const;

/** The filter a URL asks for; a value the API would refuse is left out rather than shown as an error. */
export function projectFilterOf(params: URLSearchParams): ProjectFilter {
  const state = params.get('state') ?? undefined;
  const item = Number(params.get('item'));
  const orgId = params.get('org') ?? undefined;
  const overdue = params.get('overdue');
  const light = params.get('light') as ProjectFilter['light'] | null;
  const q = params.get('q')?.trim().slice(0, 100) || undefined;
  return {
    ...(state && Object.hasOwn(STATE_NAMES, state) ? { state } : {}),
    ...(Number.isInteger(item) && item >= 1 && item <= 13 ? { item } : {}),
    ...(orgId && UUID.test(orgId) ? { orgId } : {}),
    ...(overdue === 'true' || overdue === 'false' ? { overdue: overdue === 'true' } : {}),
    ...(light && (LIGHTS as readonly string[]).includes(light) ? { light } : {}),
    ...(q ? { q } : {}),
  };
}

/** The URL parameters of a filter (the inverse of projectFilterOf). */
export function projectFilterParams(filter: ProjectFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.state) params.set('state', filter.state);
  if (filter.item !== undefined) params.set('item', String(filter.item));
  if (filter.orgId) params.set('org', filter.orgId);
  if (filter.overdue !== undefined) params.set('overdue', String(filter.overdue));
  if (filter.light) params.set('light', filter.light);
  if (filter.q) params.set('q', filter.q);
  return params;
}

/** The query of GET /api/v1/projects for one page. */
export function projectQueryOf(filter: ProjectFilter, cursor: string | null, limit = 50) {
  return {
    limit,
    ...(filter.state ? { state: filter.state } : {}),
    ...(filter.item !== undefined ? { item: filter.item } : {}),
    ...(filter.orgId ? { orgId: filter.orgId } : {}),
    ...(filter.overdue !== undefined ? { overdue: String(filter.overdue) as 'true' | 'false' } : {}),
    ...(filter.light ? { light: filter.light } : {}),
    ...(filter.q ? { q: filter.q } : {}),
    ...(cursor ? { cursor } : {}),
  };
}
