import { useSyncExternalStore } from 'react';

/** antd's md breakpoint: from here up the side menu and tables; below it the phone layout. */
const WIDE = '(min-width: 768px)';

let media: MediaQueryList | null = null;
const query = () => (media ??= window.matchMedia(WIDE));

function subscribe(onChange: () => void): () => void {
  const media = query();
  media.addEventListener('change', onChange);
  return () => media.removeEventListener('change', onChange);
}

/**
 * Whether the window is at least tablet-wide, known at the first render. antd's
 * Grid.useBreakpoint answers only after mounting, so every page under the layout rendered twice.
 */
export function useWideScreen(): boolean {
  return useSyncExternalStore(subscribe, () => query().matches, () => true);
}
