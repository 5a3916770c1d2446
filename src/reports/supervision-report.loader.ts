import { BUSINESS_TIME_ZONE } from '../domain/business-date.ts';
import type { Database } from '../store/database.ts';
import type { ProjectBalance, ReportEventRow } from './report-sources.loader.ts';

/** The audit events the supervision report counts. */
export const SUPERVISION_EVENT_TYPES = [
  'RECORD_INSPECTION',
  'CONCLUDE_INSPECTION',
  'SUBMIT_CORRECTION',
  'ACCEPT_CORRECTION',
  'REJECT_CORRECTION',
  'SUSPEND',
  'RESUME',
  'STOP',
  'CONFIRM_STOP',
] as const;

export interface SupervisionEventRow extends ReportEventRow {
  /** The business day the event counts on: an inspection's own date, else when it was recorded (Asia/Shanghai). */
  business_date: string;
}

export interface SupervisedProjectRow extends ProjectBalance {
  id: string;
  code: string;
  title: string;
  item: number;
  state: string;
  org_name: string;
  has_balance: boolean;
}

export interface SupervisionReportSource {
  from: string;
  to: string;
  events: SupervisionEventRow[];
  projects: SupervisedProjectRow[];
}

/**
 * Supervision events whose business date lies in [from, to] (inclusive, YYYY-MM-DD). An inspection
 * counts on the date it was carried out (its `date`), every other event on the Asia/Shanghai day it
 * was recorded. Also loads each project concerned with its balances.
 */
export async function loadSupervisionReportSource(db: Database, from: string, to: string): Promise<SupervisionReportSource> {
  const events = await db.query<SupervisionEventRow>(
    `SELECT * FROM (
       SELECT e.project_id, e.seq, e.event_type, e.actor_role, u.name AS actor_name, e.from_state, e.to_state,
              e.payload, e.reason, e.occurred_at,
              CASE WHEN e.event_type = 'RECORD_INSPECTION' AND jsonb_typeof(e.payload -> 'date') = 'string'
                   THEN e.payload ->> 'date'
                   ELSE to_char(e.occurred_at AT TIME ZONE $3, 'YYYY-MM-DD') END AS business_date
         FROM project_events e LEFT JOIN users u ON u.id = e.actor_id
        WHERE e.event_type = ANY($4::text[])
     ) s
     WHERE s.business_date BETWEEN $1 AND $2
     ORDER BY s.business_date, s.occurred_at, s.project_id, s.seq`,
    [from, to, BUSINESS_TIME_ZONE, [...SUPERVISION_EVENT_TYPES]],
  );
  const ids = [...new Set(events.map((event) => event.project_id))];
  const projects = ids.length
    ? await db.query<SupervisedProjectRow>(
        `SELECT p.id, p.code, p.title, p.item, p.state, o.name AS org_name,
                coalesce(b.committed_fen, 0) AS committed_fen, coalesce(b.disbursed_fen, 0) AS disbursed_fen,
                coalesce(b.released_fen, 0) AS released_fen, coalesce(b.recovered_fen, 0) AS recovered_fen,
                b.project_id IS NOT NULL AS has_balance
           FROM projects p JOIN organisations o ON o.id = p.org_id
           LEFT JOIN project_balances b ON b.project_id = p.id
          WHERE p.id = ANY($1::uuid[])
          ORDER BY p.code`,
        [ids],
      )
    : [];
  return { from, to, events, projects };
}
