import { createBrowserRouter, RouterProvider } from 'react-router';
import { AppProviders } from './providers/AppProviders.tsx';
import { AppRoutes } from './router/AppRoutes.tsx';

// A data router holding the app's own <Routes> under one splat route: what lets an editor with unsaved changes ask
// before the address changes (useBlocker works only under a data router).
const router = createBrowserRouter([{ path: '*', element: <AppRoutes /> }]);

export function App() {
  return (
    <AppProviders>
      <RouterProvider router={router} />
    </AppProviders>
  );
}
