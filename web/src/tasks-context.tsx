import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import { api, unwrap } from './api/client.ts';
import type { TaskCounts } from './api/types.ts';
import { useLang } from './i18n.tsx';
import { ApiError, messageOfProblem } from './lib/problem.ts';
import { takeOpeningCounts } from './boot/first-screen.ts';

export interface TasksValue {
  /** My open tasks counted per kind by the server (the menu's badges); null while loading. */
  counts: TaskCounts | null;
  error: string | null;
  /** Asks the server again, after a decision or an action changed my tasks. */
  reload: () => Promise<void>;
  /** Bumped by every reload, so that a page showing tasks reloads its own list too. */
  generation: number;
}

/** My task counts, loaded once by the layout (the menu shows them) and shared with the pages. */
export const TasksContext = createContext<TasksValue>({ counts: null, error: null, reload: async () => {}, generation: 0 });

export const useTasks = () => useContext(TasksContext);

/** Loads the counts for the layout's provider. */
export function useTaskCountsLoader(): TasksValue {
  const { t } = useLang();
  const [counts, setCounts] = useState<TaskCounts | null>(takeOpeningCounts);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  const load = useCallback(async () => {
    try {
      setCounts(await unwrap<TaskCounts>(api.GET('/api/v1/tasks/counts')));
      setError(null);
    } catch (failure) {
      setError(failure instanceof ApiError ? messageOfProblem(failure.problem).text : t('待办加载失败', 'Could not load tasks'));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // A reload after a change also tells the pages to reload their lists; the first load does not
  // (the pages load theirs as they mount: asking twice would only slow the first screen).
  const reload = useCallback(async () => {
    setGeneration((value) => value + 1);
    await load();
  }, [load]);

  useEffect(() => {
    if (counts === null) void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [load]);

  return { counts, error, reload, generation };
}
