/** The signed-in session of a realm (owner or staff), updated on sign-in, refresh and sign-out. */
import { useEffect, useState } from 'react';
import type { ApiClient, Session } from '../../api/client';

export function useSession(client: ApiClient): Session | null {
  const [session, setSession] = useState<Session | null>(() => client.current());
  useEffect(() => {
    setSession(client.current());
    return client.subscribe(setSession);
  }, [client]);
  return session;
}
