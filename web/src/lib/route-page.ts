import { createElement, lazy, type ComponentType } from 'react';

export interface RoutePage<P extends object> {
  (props: P): ReturnType<typeof createElement>;
  /** Starts loading the page's chunk (once); resolves when it is here. */
  preload: () => Promise<void>;
}

/**
 * A page in its own chunk, like React.lazy, but rendered directly once the chunk has arrived. A
 * lazy component suspends on its first render even when its chunk is already loaded, and React 19
 * holds back revealing a Suspense boundary until 300 ms after its fallback showed: an opened page
 * whose chunk was fetched alongside the app must not suspend at all.
 */
export function routePage<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): RoutePage<P> {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<void> | null = null;
  const preload = () =>
    (loading ??= load().then(
      (module) => {
        loaded = module.default;
      },
      (failure: unknown) => {
        loading = null; // a failed chunk (a deploy, a dropped connection) is asked again next time
        throw failure;
      },
    ));
  const Lazy = lazy(async () => {
    await preload();
    return { default: loaded! };
  });
  const page = (props: P) => createElement(loaded ?? Lazy, props);
  return Object.assign(page, { preload });
}
