/**
 * Demo data the browser scenarios rely on, made through the public API only.
 *
 * The demo city gives orgs, staff and owners; stores' profiles, bays and technicians come from the
 * stores and technicians modules' demo steps. When a demo has no store near the city centre yet
 * (an older build, or a step that is not registered), `ensureStoresNear` sets up the first few
 * stores the way a manager would, so the owner scenario still has somewhere to book.
 */
export const CENTRE_GCJ02 = { lon: 120.1551, lat: 30.2741 } as const;
export const DEMO_PASSWORD = 'pitlane-demo';

export interface Json {
  [k: string]: unknown;
}

export class ApiClient {
  constructor(
    readonly base: string,
    public token: string | null = null,
  ) {}

  async call<T = Json>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const res = await fetch(`${this.base}/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 400)}`);
    return (text ? JSON.parse(text) : null) as T;
  }
}

export async function staffClient(base: string, login: string): Promise<ApiClient> {
  const api = new ApiClient(base);
  const t = await api.call<{ accessToken: string }>('POST', '/auth/staff/sign-in', {
    login,
    password: DEMO_PASSWORD,
  });
  api.token = t.accessToken;
  return api;
}

/** The newest one-time sign-in code sent to `phone` (development outbox, operator only). */
export async function latestOtp(operator: ApiClient, phone: string, notBefore?: Date): Promise<string> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const out = await operator.call<{ items: Array<{ payload: Json; createdAt: string }> }>(
      'GET',
      `/outbox?to=${encodeURIComponent(phone)}&limit=5`,
    );
    const hit = out.items.find(
      (m) => typeof m.payload.otp === 'string' && (!notBefore || new Date(m.createdAt) >= notBefore),
    );
    if (hit) return hit.payload.otp as string;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`No sign-in code for ${phone} in the outbox`);
}

interface Org {
  id: string;
  name: string;
}

const DAYS = [1, 2, 3, 4, 5, 6, 7];

/** Makes sure at least one store answers near the centre; sets up `count` stores when none does. */
export async function ensureStoresNear(base: string, count = 4): Promise<'demo' | 'seeded'> {
  const anon = new ApiClient(base);
  const near = await anon.call<{ items: unknown[] }>(
    'GET',
    `/stores?lon=${CENTRE_GCJ02.lon}&lat=${CENTRE_GCJ02.lat}&coord=gcj02&radiusKm=30&limit=5`,
  );
  if (near.items.length > 0) return 'demo';

  const op = await staffClient(base, 'operator');
  const orgs = await op.call<{ items: Org[] }>('GET', `/orgs?kind=store&limit=${count}`);
  const districts = [
    { name: '上城区', lon: 120.1713, lat: 30.2503 },
    { name: '拱墅区', lon: 120.1419, lat: 30.3193 },
    { name: '西湖区', lon: 120.1302, lat: 30.2595 },
    { name: '滨江区', lon: 120.2118, lat: 30.2083 },
  ];
  for (const [i, org] of orgs.items.entries()) {
    const d = districts[i % districts.length]!;
    await op.call('PUT', `/stores/${org.id}/profile`, {
      address: `杭州市${d.name}示范路${i + 1}号`,
      phone: `0571-8800${String(1000 + i)}`,
      location: { lon: d.lon + 0.004 * i, lat: d.lat + 0.003 * i, coord: 'gcj02' },
      city: '杭州',
      district: d.name,
      capabilities: ['general', 'engine', 'brakes', 'tyres', 'electrical', 'ac', 'diagnostics'],
      status: 'active',
      hours: DAYS.map((weekday) => ({ weekday, open: '08:30', close: '20:00' })),
    });
    const bays = await op.call<{ items: unknown[] }>('GET', `/stores/${org.id}/bays`);
    if (bays.items.length === 0) {
      await op.call('POST', `/stores/${org.id}/bays`, { name: '1号工位', type: 'general_lift' });
      await op.call('POST', `/stores/${org.id}/bays`, { name: '2号工位', type: 'general_lift' });
      await op.call('POST', `/stores/${org.id}/bays`, { name: '快修位', type: 'quick' });
    }
    const techs = await op.call<{ items: unknown[] }>('GET', `/stores/${org.id}/technicians`);
    if (techs.items.length === 0) {
      const users = await op.call<{ items: Array<{ id: string; name: string }> }>(
        'GET',
        `/users?orgId=${org.id}&role=technician&limit=5`,
      );
      const people = users.items.length > 0 ? users.items : [{ id: null, name: '技师' }];
      for (const u of people.slice(0, 2)) {
        await op.call('POST', `/stores/${org.id}/technicians`, {
          name: u.name,
          userId: u.id,
          skills: ['general', 'engine', 'brakes', 'tyres', 'electrical', 'ac', 'diagnostics'],
          level: 3,
          shifts: DAYS.map((weekday) => ({ weekday, start: '08:30', end: '20:00' })),
        });
      }
    }
  }
  return 'seeded';
}
