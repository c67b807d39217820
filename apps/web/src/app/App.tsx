import { BrowserRouter } from 'react-router';
import { AppProviders } from './providers/AppProviders.tsx';
import { AppRoutes } from './router/AppRoutes.tsx';

export function App() {
  return (
    <AppProviders>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </AppProviders>
  );
}
