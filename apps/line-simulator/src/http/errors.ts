export type LineErrorDetail = { message: string; property?: string };

// Thrown anywhere below a route; the error handler turns it into LINE's response shape.
export class LineError extends Error {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  constructor(status: number, body: unknown, headers: Record<string, string> = {}) {
    super(typeof body === 'object' && body && 'message' in body ? String((body as { message: unknown }).message) : `LINE error ${status}`);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

export function lineError(status: number, message: string, details?: LineErrorDetail[]): LineError {
  // LINE omits `details` when there is nothing to list.
  return new LineError(status, details && details.length > 0 ? { message, details } : { message });
}

export function requestBodyErrors(details: LineErrorDetail[]): LineError {
  return lineError(400, `The request body has ${details.length} error(s)`, details);
}

export function invalidProperty(property: string): LineError {
  return lineError(400, `The property, ${property}, in the request body is invalid (line: -, column: -)`);
}

// OAuth / LINE Login endpoints use the OAuth error shape instead of {message}.
export function oauthError(description: string, status = 400): LineError {
  return new LineError(status, { error: 'invalid_request', error_description: description });
}

// Errors of the simulator's own admin API; deliberately not LINE-shaped.
export class SimError extends Error {
  status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export const MESSAGES = {
  notFound: 'Not found',
  rateLimited: 'The API rate limit has been exceeded. Try again later.',
  monthlyLimit: 'You have reached your monthly limit.',
  // LINE documents the cause ("a large number of messages were sent to the same user"), not the wording [A].
  sameUser: 'Too many messages have been sent to this user. Try again later.',
  retryKeyAccepted: 'The retry key is already accepted',
  missingAuth: "Authorization header required. Must follow the scheme, 'Authorization: Bearer <ACCESS TOKEN>'",
  invalidToken: 'Authentication failed. Confirm that the access token in the authorization header is valid.',
  failedToSend: 'Failed to send messages',
  invalidReplyToken: 'Invalid reply token',
  internal: 'An internal server error occurred.',
} as const;
