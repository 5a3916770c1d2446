/**
 * The one builder of links to a project's page in the browser (`/projects/YC-2026-05-001`): every
 * reminder, notice and digest email points there, never at the JSON API. An unauthenticated visitor
 * is sent to sign in and lands back on it.
 */
export function projectPageUrl(publicUrl: string, projectCode: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/projects/${encodeURIComponent(projectCode)}`;
}

const API_PROJECT_LINK = /^(.*)\/api\/v1\/projects\/[^/?#]+$/;

/**
 * The project's page for a link a caller built to the API resource (`PUBLIC_URL/api/v1/projects/<id>`),
 * so mail templates show the page whoever composed the link; any other link is kept as it is.
 */
export function projectPageLink(link: string, projectCode: string): string {
  const api = API_PROJECT_LINK.exec(link);
  return api ? projectPageUrl(api[1]!, projectCode) : link;
}
