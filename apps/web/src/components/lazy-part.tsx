import { createElement, useEffect, useReducer, type ComponentType } from 'react';
import { QueryErrorAlert } from './QueryErrorAlert.tsx';

/** A part of a page whose code is its own chunk, fetched when it first renders or earlier through `preload()`. */
export type LazyPart<P extends object> = ComponentType<P> & { preload: () => Promise<ComponentType<P>> };

/**
 * For what a page shows only on demand (dialogs and drawers, closed when the page first shows): their code and the
 * antd components and styles only they use stay out of the page's first load, so the first paint parses and runs
 * less. Renders nothing until the chunk has arrived (a closed dialog draws nothing either), then the part itself; a
 * chunk that could not be fetched (offline, or a deploy replaced it) says so, with a fresh load as the retry.
 * No Suspense: React 19 would hold the page's other content back while it waits (see app/router/lazy-pages.ts).
 */
export function lazyPart<P extends object>(load: () => Promise<ComponentType<P>>): LazyPart<P> {
  let loading: Promise<ComponentType<P>> | undefined;
  let loaded: ComponentType<P> | undefined;
  let failure: { reason: unknown } | undefined;
  const preload = () => {
    loading ??= load().then(
      (component) => (loaded = component),
      (reason: unknown) => {
        failure = { reason };
        throw reason;
      },
    );
    return loading;
  };
  function Part(props: P) {
    const [, arrived] = useReducer((n: number) => n + 1, 0);
    useEffect(() => {
      if (!loaded && !failure) preload().then(arrived, arrived);
    }, []);
    if (loaded) return createElement(loaded, props);
    if (failure) return createElement(QueryErrorAlert, { error: failure.reason, onRetry: () => window.location.reload() });
    return null;
  }
  return Object.assign(Part, { preload });
}
