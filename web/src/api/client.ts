/**
 * The one HTTP client of the console: JSON in and out of /api/v1, the bearer token from the
 * session in localStorage, one refresh (single-flight) and retry on a 401, and every failure turned
 * into an {@link ApiError} carrying the server's `{error:{code,message,details}}` (or `network` /
 * `internal` when there is no such envelope). Nothing here throws anything else.
 */
import type { TokenPair, SessionUser } from './types';

export const API_BASE = '/api/v1';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
  }

  /** Field errors of a 422 `request.validation` (`details` is `[{path, message}]`). */
  fieldErrors(): Array<{ path: string; message: string }> {
    const d = this.details as { issues?: unknown } | unknown[] | null;
    const list = Array.isArray(d)
      ? d
      : Array.isArray((d as { issues?: unknown })?.issues)
        ? (d as { issues: unknown[] }).issues
        : [];
    return list.filter(
      (x): x is { path: string; message: string } =>
        typeof x === 'object' && x !== null && 'path' in x && 'message' in x,
    );
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** Which sign-in a call uses: car owners and staff keep separate sessions in one browser. */
export type Realm = 'owner' | 'staff';

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token expires. */
  expiresAt: number;
  user: SessionUser;
}

const storageKey = (realm: Realm): string => `pitlane.session.${realm}`;

type Listener = (session: Session | null) => void;

export interface RequestOptions {
  query?: Record<string, string | number | boolean | null | undefined>;
  body?: unknown;
  /** multipart upload (photos); the browser sets the boundary. */
  form?: FormData;
  /** Send without the bearer token. */
  anonymous?: boolean;
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** Resolve the body as a Blob (photos). */
  blob?: boolean;
}

function readStorage(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function writeStorage(key: string, value: string | null): void {
  try {
    if (value === null) globalThis.localStorage?.removeItem(key);
    else globalThis.localStorage?.setItem(key, value);
  } catch {
    // storage may be unavailable (private mode); the session then lives in memory only
  }
}

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  }
  const s = qs.toString();
  return `${API_BASE}${path}${s ? `?${s}` : ''}`;
}

async function toApiError(res: Response): Promise<ApiError> {
  let text = '';
  try {
    text = await res.text();
  } catch {
    // ignore: body unreadable
  }
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
    const e = body.error;
    if (e && typeof e.code === 'string') {
      return new ApiError(
        res.status,
        e.code,
        typeof e.message === 'string' ? e.message : e.code,
        e.details ?? null,
      );
    }
  } catch {
    // not JSON
  }
  return new ApiError(
    res.status,
    res.status >= 500 ? 'internal' : `http.${res.status}`,
    res.statusText || 'HTTP error',
  );
}

export class ApiClient {
  private session: Session | null;
  private refreshing: Promise<boolean> | null = null;
  private listeners = new Set<Listener>();

  constructor(
    readonly realm: Realm,
    private readonly fetchImpl: typeof fetch = (...a) => globalThis.fetch(...a),
  ) {
    this.session = this.load();
  }

  private load(): Session | null {
    const raw = readStorage(storageKey(this.realm));
    if (!raw) return null;
    try {
      const s = JSON.parse(raw) as Session;
      return typeof s.accessToken === 'string' && typeof s.refreshToken === 'string' ? s : null;
    } catch {
      return null;
    }
  }

  current(): Session | null {
    return this.session;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  setTokens(pair: TokenPair): Session {
    const s: Session = {
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
      expiresAt: Date.now() + pair.expiresIn * 1000,
      user: pair.user,
    };
    this.session = s;
    writeStorage(storageKey(this.realm), JSON.stringify(s));
    for (const l of this.listeners) l(s);
    return s;
  }

  clear(): void {
    this.session = null;
    writeStorage(storageKey(this.realm), null);
    for (const l of this.listeners) l(null);
  }

  async signOut(): Promise<void> {
    if (this.session) {
      try {
        await this.request('POST', '/auth/logout');
      } catch {
        // the session ends locally either way
      }
    }
    this.clear();
  }

  /** Exchanges the refresh token once, however many calls see a 401 at the same time. */
  private refresh(): Promise<boolean> {
    if (!this.refreshing) {
      const token = this.session?.refreshToken;
      this.refreshing = (async () => {
        if (!token) return false;
        try {
          const res = await this.fetchImpl(buildUrl('/auth/refresh'), {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ refreshToken: token }),
          });
          if (!res.ok) return false;
          this.setTokens((await res.json()) as TokenPair);
          return true;
        } catch {
          return false;
        }
      })().finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async send(method: string, path: string, opts: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: BodyInit | undefined;
    if (opts.form) body = opts.form;
    else if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    } else if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
      headers['content-type'] = 'application/json';
      body = '{}';
    }
    if (!opts.anonymous && this.session) headers.authorization = `Bearer ${this.session.accessToken}`;
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    return this.fetchImpl(buildUrl(path, opts.query), { method, headers, body, signal: opts.signal ?? null });
  }

  /** Calls the API; resolves the parsed JSON (null for 204) or rejects with an {@link ApiError}. */
  async request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    let res: Response;
    try {
      res = await this.send(method, path, opts);
      if (res.status === 401 && !opts.anonymous && this.session && path !== '/auth/logout') {
        if (await this.refresh()) res = await this.send(method, path, opts);
        else {
          const err = await toApiError(res);
          this.clear();
          throw err;
        }
      }
    } catch (e) {
      if (e instanceof ApiError) throw e;
      if (e instanceof DOMException && e.name === 'AbortError') throw new ApiError(0, 'aborted', 'Aborted');
      throw new ApiError(0, 'network', e instanceof Error ? e.message : 'Network error');
    }
    if (!res.ok) {
      const err = await toApiError(res);
      if (res.status === 401 && !opts.anonymous) this.clear();
      throw err;
    }
    if (res.status === 204) return null as T;
    if (opts.blob) return (await res.blob()) as T;
    const type = res.headers.get('content-type') ?? '';
    if (!type.includes('json')) return (await res.text()) as T;
    try {
      return (await res.json()) as T;
    } catch {
      throw new ApiError(res.status, 'internal', 'The server sent an unreadable answer');
    }
  }

  get<T>(path: string, query?: RequestOptions['query'], signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, { query, signal });
  }
  post<T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'body'> = {}): Promise<T> {
    return this.request<T>('POST', path, { ...opts, body });
  }
  put<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PUT', path, { body });
  }
  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PATCH', path, { body });
  }
  del<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }
}

export const ownerClient = new ApiClient('owner');
export const staffClient = new ApiClient('staff');

/** A fresh idempotency key for a create (kept by the form across retries of one submission). */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (c && 'randomUUID' in c) return c.randomUUID();
  return `k-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}
