import { lazy, Suspense, type ComponentProps } from 'react';

// antd's Result brings its 403/404/500 illustrations (~37 kB): fetched when a page shows one, not on every page's way in.
const NotFound = lazy(() => import('./NotFoundResult.tsx').then((module) => ({ default: module.NotFoundResult })));
const Forbidden = lazy(() => import('./ForbiddenResult.tsx').then((module) => ({ default: module.ForbiddenResult })));

export function LazyNotFoundResult(props: ComponentProps<typeof NotFound>) {
  return (
    <Suspense fallback={null}>
      <NotFound {...props} />
    </Suspense>
  );
}

export function LazyForbiddenResult() {
  return (
    <Suspense fallback={null}>
      <Forbidden />
    </Suspense>
  );
}
