/** The sign-in feature's door: the new-password fields, shared with the my-account password change. */
export { MIN_PASSWORD_LENGTH, NewPasswordFields } from './components/NewPasswordFields.tsx';
