import type { RequestHandler } from 'express';
import { sendProblem } from './problem.ts';

const TITLE = '请求参数有误 / Invalid request';

/** Why a decoded text cannot be stored or compared, or undefined when it is fine. */
export function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character (U+0000)';
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)) return 'contains a lone surrogate (not valid Unicode)';
  return undefined;
}

/** Decodes one percent-encoded URL component; answers the problem instead of throwing. */
function decodeComponent(raw: string, plusIsSpace: boolean): { value: string } | { problem: string } {
  let value: string;
  try {
    value = decodeURIComponent(plusIsSpace ? raw.replace(/\+/g, ' ') : raw);
  } catch {
    return { problem: 'has malformed percent-encoding (not valid UTF-8)' };
  }
  const problem = textProblem(value);
  return problem ? { problem } : { value };
}

/**
 * Refuses, before any route runs, a path or query that would reach the database as text PostgreSQL
 * cannot hold (NUL) or that does not decode (malformed percent-encoding, lone surrogates): a 400
 * problem naming the part, on every route, /t/<token> included, signed in or not.
 */
export function requestHygiene(): RequestHandler {
  return (req, res, next) => {
    const url = req.originalUrl;
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const decodedPath = decodeComponent(path, false);
    if ('problem' in decodedPath) {
      return sendProblem(res, 400, TITLE, `the URL path ${decodedPath.problem}`, { code: 'bad-input', errors: [{ field: '(path)', message: decodedPath.problem }] });
    }
    if (queryAt !== -1) {
      for (const pair of url.slice(queryAt + 1).split('&')) {
        if (pair === '') continue;
        const [rawName = '', ...rest] = pair.split('=');
        const name = decodeComponent(rawName, true);
        const field = 'value' in name ? `query.${name.value}` : '(query)';
        const problem = 'problem' in name ? name.problem : (() => {
          const value = decodeComponent(rest.join('='), true);
          return 'problem' in value ? value.problem : undefined;
        })();
        if (problem) {
          return sendProblem(res, 400, TITLE, `${field} ${problem}`, { code: 'bad-input', errors: [{ field, message: problem }] });
        }
      }
    }
    next();
  };
}

/** The first string in a parsed JSON body that PostgreSQL cannot hold, with its field path. */
function findBadText(value: unknown, path: string[]): { field: string; message: string } | undefined {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { field: path.join('.') || '(body)', message: problem } : undefined;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findBadText(item, [...path, String(index)]);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = findBadText(key, [...path, '(key)']) ?? findBadText(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

/** After the JSON parser: a NUL or a lone surrogate anywhere in the body is a 400 naming the field. */
export function bodyHygiene(): RequestHandler {
  return (req, res, next) => {
    const found = findBadText(req.body, []);
    if (!found) return next();
    sendProblem(res, 400, TITLE, `${found.field} ${found.message}`, { code: 'bad-input', errors: [found] });
  };
}
