import { useCallback, useEffect, useState } from 'react';
import { request } from '../../api/client.ts';
import { ApiError, messageOfProblem } from '../../lib/problem.ts';

/** GETs a path, with the answer, the loading flag, a readable error and a reload. */
export function useLoad<T>(path: string | null, failText: string) {
  const [data, setData] = useState<T | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    if (path === null) return;
    setLoading(true);
    try {
      setData(await request<T>('GET', path));
      setError(null);
    } catch (failure) {
      setError(failure instanceof ApiError ? messageOfProblem(failure.problem).text : failText);
    } finally {
      setLoading(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [path]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, loading, error, reload };
}

/** A failed write's words: the problem's own text, with the fields it names. */
export function failureText(failure: unknown, fallback: string): string {
  if (!(failure instanceof ApiError)) return fallback;
  const message = messageOfProblem(failure.problem);
  const fields = message.fields.map((field) => `${field.field}：${field.message}`).join('；');
  return fields ? `${message.text}（${fields}）` : message.text;
}
