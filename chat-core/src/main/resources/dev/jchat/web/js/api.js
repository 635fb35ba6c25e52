// The REST API (/api/...): JSON in and out, bearer token, errors as ApiError.

export class ApiError extends Error {
  constructor(code, status, message, retryAfterSeconds) {
    super(message);
    this.code = code;
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * Calls the API. Bodies are always sent as application/json (the server answers 415 to anything
 * else). Resolves with the parsed body (null for 204); rejects with ApiError, code "network" when
 * the server cannot be reached.
 */
export async function call(method, path, body, token) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = 'Bearer ' + token;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw new ApiError('network', 0, 'The server cannot be reached. Check the connection and try again.');
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = (data && data.error) || {};
    const retry = Number(response.headers.get('Retry-After')) || undefined;
    throw new ApiError(error.code || 'http_' + response.status, response.status,
      error.message || response.statusText || 'request failed', retry);
  }
  return data;
}

export const register = (userId, password) =>
  call('POST', '/api/users', { userId, password });

export const signIn = (userId, password) =>
  call('POST', '/api/sessions', { userId, password });

export const signOut = (token) => call('DELETE', '/api/sessions', undefined, token);

export const createRoom = (token, roomId, isPrivate, participants) =>
  call('POST', '/api/rooms', { roomId, private: isPrivate, participants }, token);
