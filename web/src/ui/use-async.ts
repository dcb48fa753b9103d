/** Loads data for a screen: loading, error and data states, reload, and no update after unmount. */
import { useCallback, useEffect, useRef, useState } from 'react';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (d: T) => void;
}

export function useAsync<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
): AsyncState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const lastDeps = useRef<readonly unknown[] | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    // other inputs: the old answer is not an answer to them (a reload keeps it on screen meanwhile)
    const prev = lastDeps.current;
    if (prev && (prev.length !== deps.length || prev.some((d, i) => !Object.is(d, deps[i]))))
      setData(undefined);
    lastDeps.current = deps;
    setLoading(true);
    setError(null);
    loadRef.current(ctrl.signal).then(
      (d) => {
        if (ctrl.signal.aborted) return;
        setData(d);
        setLoading(false);
      },
      (e: unknown) => {
        if (ctrl.signal.aborted) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => ctrl.abort();
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload, setData };
}

export type ActionResult<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Runs an action (a submit, a button): busy flag and the last error, never an unhandled rejection.
 * `run` resolves `{ ok: true, value }` or `{ ok: false, error }` (the error is also in `error`).
 */
export function useAction<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
): { run: (...args: A) => Promise<ActionResult<R>>; busy: boolean; error: unknown; clear: () => void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const run = useCallback(async (...args: A): Promise<ActionResult<R>> => {
    setBusy(true);
    setError(null);
    try {
      return { ok: true, value: await fnRef.current(...args) };
    } catch (e) {
      setError(e);
      return { ok: false, error: e };
    } finally {
      setBusy(false);
    }
  }, []);
  const clear = useCallback(() => setError(null), []);
  return { run, busy, error, clear };
}
