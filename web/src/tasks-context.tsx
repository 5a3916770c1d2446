import { createContext, useContext } from 'react';
import type { Task } from './api/types.ts';

export interface TasksValue {
  tasks: Task[] | null;
  error: string | null;
  reload: () => Promise<void>;
}

/** My open tasks, loaded once by the layout (the menu counts them) and shared with the inbox. */
export const TasksContext = createContext<TasksValue>({ tasks: null, error: null, reload: async () => {} });

export const useTasks = () => useContext(TasksContext);
