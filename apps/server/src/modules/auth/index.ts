export { createAuthService, type AuthService } from './auth.service.ts';
export { createTwoFactorService } from './two-factor.service.ts';
export { hashPassword } from './secrets.ts';
export { authRoutes } from './auth.routes.ts';
export { purgeExpiredSessionsJob } from './auth.jobs.ts';
