import { Link } from 'react-router';

export interface NavEntry {
  key: string;
  to: string;
  text: string;
  /** A count shown after the text (my open tasks); nothing when 0. */
  badge?: number;
  /** Drawn under the entry before it (the task kinds under 我的待办). */
  nested?: boolean;
}

/**
 * The main menu: links in a list, drawn like antd's inline menu (app.css), or wrapping in rows at
 * phone width. Plain links rather than antd's Menu, which measured and re-rendered its entries on
 * every page load (a tenth of the inbox's script time) for no behaviour links do not have.
 */
export function MainNav(props: { label: string; entries: NavEntry[]; selected: string; horizontal: boolean }) {
  return (
    <nav aria-label={props.label} className={props.horizontal ? 'main-nav main-nav-rows' : 'main-nav'}>
      <ul>
        {props.entries.map((entry) => {
          const current = entry.key === props.selected;
          return (
            <li key={entry.key} className={entry.nested ? 'main-nav-nested' : undefined}>
              <Link to={entry.to} aria-current={current ? 'page' : undefined} className={current ? 'main-nav-current' : undefined}>
                {entry.text}
                {entry.badge ? <span className="main-nav-badge">{entry.badge > 999 ? '999+' : entry.badge}</span> : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
