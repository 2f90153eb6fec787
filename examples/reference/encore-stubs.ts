// Minimal stand-ins for the parts of Encore's framework the reference document's rate-limit
// example uses besides the cache (`encore.dev/api`, `~encore/auth`), so it runs unchanged.

/** An API error with a code, as Encore's APIError. */
export class APIError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
  static unauthenticated(message: string): APIError {
    return new APIError("unauthenticated", message);
  }
  static resourceExhausted(message: string): APIError {
    return new APIError("resource_exhausted", message);
  }
}

/** Declares an endpoint: here, just the handler. */
export function api<R>(
  _options: { expose: boolean; method: string; path: string; auth: boolean },
  handler: () => Promise<R>,
) {
  return handler;
}

let currentUser: string | null = "user123";

/** The authenticated user of the current request. */
export function getAuthData(): { userID: string } | null {
  return currentUser === null ? null : { userID: currentUser };
}

/** Test hook: who is calling. */
export function setAuthUser(user: string | null): void {
  currentUser = user;
}
