/** The store the workbench is working on (a manager has one; a chain admin picks among many). */
import { createContext, useContext } from 'react';

export interface StoreRef {
  id: string;
  name: string;
}

export interface StoreContextValue {
  store: StoreRef;
  stores: StoreRef[];
  role: string;
  userId: string;
}

export const StoreContext = createContext<StoreContextValue | null>(null);

export function useStore(): StoreContextValue {
  const v = useContext(StoreContext);
  if (!v) throw new Error('useStore outside the store workbench');
  return v;
}

const KEY = 'pitlane.store';

export function rememberedStore(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function rememberStore(id: string): void {
  try {
    localStorage.setItem(KEY, id);
  } catch {
    // not remembered
  }
}
