/**
 * Typed calls of /api/v1, one function per route the console uses. Owner screens pass
 * `ownerClient`, staff screens `staffClient`.
 */
import type { ApiClient } from './client';
import { newIdempotencyKey, ownerClient, staffClient } from './client';
import type {
  AlertSummaryRow,
  AnalyticsOverview,
  Approval,
  Availability,
  Bay,
  BayType,
  Board,
  Booking,
  ConsentPurpose,
  Consents,
  DeviceBinding,
  DispatchBoard,
  DoorToDoorDayPlan,
  ForecastVsActual,
  EstimateAddition,
  InspectionResult,
  Invitation,
  MaintenanceAlert,
  MaintenanceProposal,
  Me,
  Org,
  OrgKind,
  OutboxMessage,
  Page,
  Payment,
  Quote,
  ReplenishmentPlan,
  ReplenishmentSuggestion,
  SearchResult,
  ServiceBook,
  ServiceRecord,
  ServiceRecordInput,
  ServiceItem,
  Settlement,
  Staff,
  StaffRole,
  Store,
  StoreDetail,
  StoreHours,
  SuggestionStatus,
  TeamMember,
  TelematicsDevice,
  Technician,
  TimelineNode,
  TokenPair,
  Vehicle,
  VehicleHealth,
  VehicleInput,
  VehicleModel,
  WorkOrder,
  WorkOrderStatus,
  WorkOrderSummary,
} from './types';

const enc = encodeURIComponent;

// ---- auth ----

export const auth = {
  sendOwnerCode: (phone: string) =>
    ownerClient.request<{ sentTo: string; expiresIn: number }>('POST', '/auth/owner/code', {
      body: { phone },
      anonymous: true,
    }),
  async ownerSignIn(phone: string, code: string): Promise<TokenPair> {
    const pair = await ownerClient.request<TokenPair>('POST', '/auth/owner/sign-in', {
      body: { phone, code },
      anonymous: true,
    });
    ownerClient.setTokens(pair);
    return pair;
  },
  async staffSignIn(login: string, password: string): Promise<TokenPair> {
    const pair = await staffClient.request<TokenPair>('POST', '/auth/staff/sign-in', {
      body: { login, password },
      anonymous: true,
    });
    staffClient.setTokens(pair);
    return pair;
  },
  me: (api: ApiClient) => api.get<Me>('/me'),
};

// ---- catalog ----

export const catalog = {
  items: (api: ApiClient, powertrain?: string) =>
    api.get<{ items: ServiceItem[] }>('/catalog/items', { powertrain }).then((r) => r.items),
  models: (api: ApiClient, q?: string) =>
    api.get<{ items: VehicleModel[] }>('/catalog/vehicle-models', { q }).then((r) => r.items),
  quote: (api: ApiClient, storeId: string, vehicleModelId: string, items: string[]) =>
    api.post<Quote>('/catalog/quote', { storeId, vehicleModelId, items }),
};

// ---- owner: vehicles ----

export const vehicles = {
  list: () => ownerClient.get<{ items: Vehicle[] }>('/me/vehicles').then((r) => r.items),
  add: (v: VehicleInput, key: string) =>
    ownerClient.post<Vehicle>('/me/vehicles', v, { idempotencyKey: key }),
  update: (id: string, v: Partial<VehicleInput>) => ownerClient.patch<Vehicle>(`/me/vehicles/${enc(id)}`, v),
  remove: (id: string) => ownerClient.del<null>(`/me/vehicles/${enc(id)}`),
  serviceBook: (id: string) => ownerClient.get<ServiceBook>(`/me/vehicles/${enc(id)}/service-book`),
  /** Services on record for predictive maintenance, the owner's own among them. */
  serviceRecords: (id: string) =>
    ownerClient
      .get<{ items: ServiceRecord[] }>(`/me/vehicles/${enc(id)}/service-records`)
      .then((r) => r.items),
  /** Record a service done elsewhere (e.g. the last oil change at another shop). */
  addServiceRecord: (id: string, input: ServiceRecordInput) =>
    ownerClient.post<ServiceRecord>(`/me/vehicles/${enc(id)}/service-records`, input),
};

// ---- telematics: dongles, consents, health ----

export const telematics = {
  /** The vehicle's health snapshot (owner, operator, or a store serving the owner). */
  health: (vehicleId: string, api: ApiClient = ownerClient) =>
    api.get<VehicleHealth>(`/vehicles/${enc(vehicleId)}/health`),
  bind: (vehicleId: string, serial: string) =>
    ownerClient.put<DeviceBinding>(`/me/vehicles/${enc(vehicleId)}/device`, { serial }),
  unbind: (vehicleId: string) => ownerClient.del<null>(`/me/vehicles/${enc(vehicleId)}/device`),
  consents: (vehicleId: string) => ownerClient.get<Consents>(`/me/vehicles/${enc(vehicleId)}/consents`),
  setConsent: (vehicleId: string, purpose: ConsentPurpose, granted: boolean, version: string) =>
    ownerClient.put<Consents>(`/me/vehicles/${enc(vehicleId)}/consents/${enc(purpose)}`, {
      granted,
      version,
    }),
  /** The operator's live device list (one page; the API pages by cursor). */
  devices: (cursor?: string | null, limit = 200) =>
    staffClient.get<Page<TelematicsDevice>>('/telematics/devices', { cursor, limit }),
  /** Disable or enable a device; the reason goes to the audit log. */
  setDisabled: (deviceId: string, disabled: boolean, reason: string) =>
    staffClient.post<{ id: string; serial: string; disabledAt: string | null }>(
      `/telematics/devices/${enc(deviceId)}/${disabled ? 'disable' : 'enable'}`,
      { reason },
    ),
};

// ---- predictive maintenance ----

export const maintenance = {
  alerts: () => ownerClient.get<{ items: MaintenanceAlert[] }>('/me/maintenance/alerts').then((r) => r.items),
  accept: (proposalId: string) =>
    ownerClient.post<{ proposal: MaintenanceProposal; bookingId: string; status: string }>(
      `/me/maintenance/proposals/${enc(proposalId)}/accept`,
      {},
    ),
  dismiss: (alertId: string) =>
    ownerClient.post<MaintenanceAlert>(`/me/maintenance/alerts/${enc(alertId)}/dismiss`, {}),
  snooze: (alertId: string, days: number) =>
    ownerClient.post<MaintenanceAlert>(`/me/maintenance/alerts/${enc(alertId)}/snooze`, { days }),
  /** Operator: active alerts counted by city, component and severity. */
  summary: () =>
    staffClient.get<{ items: AlertSummaryRow[] }>('/maintenance/alerts/summary').then((r) => r.items),
};

// ---- stores ----

export const stores = {
  near: (api: ApiClient, lon: number, lat: number, radiusKm = 20, limit = 30) =>
    api
      .get<{ items: Store[] }>('/stores', { lon, lat, coord: 'gcj02', radiusKm, limit })
      .then((r) => r.items),
  mine: (api: ApiClient, cursor?: string | null, limit = 200) =>
    api.get<Page<Store>>('/stores/mine', { coord: 'gcj02', cursor, limit }),
  get: (api: ApiClient, id: string) => api.get<StoreDetail>(`/stores/${enc(id)}`, { coord: 'gcj02' }),
  availability: (
    api: ApiClient,
    id: string,
    vehicleModelId: string,
    items: string[],
    day: string,
    days = 3,
  ) =>
    api.get<Availability>(`/stores/${enc(id)}/availability`, {
      vehicleModelId,
      items: items.join(','),
      day,
      days,
    }),
  board: (id: string, day: string) => staffClient.get<Board>(`/stores/${enc(id)}/board`, { day }),
  settlement: (id: string, day: string) =>
    staffClient.get<Settlement>(`/stores/${enc(id)}/settlement`, { day }),
  bays: (id: string) => staffClient.get<{ items: Bay[] }>(`/stores/${enc(id)}/bays`).then((r) => r.items),
  addBay: (id: string, name: string, type: BayType) =>
    staffClient.post<Bay>(`/stores/${enc(id)}/bays`, { name, type }),
  updateBay: (bayId: string, patch: { name?: string; type?: BayType; active?: boolean }) =>
    staffClient.patch<Bay>(`/bays/${enc(bayId)}`, patch),
  technicians: (id: string) =>
    staffClient.get<{ items: Technician[] }>(`/stores/${enc(id)}/technicians`).then((r) => r.items),
  saveProfile: (
    id: string,
    p: {
      address?: string;
      phone?: string | null;
      city?: string;
      district?: string;
      location?: { lon: number; lat: number; coord: 'gcj02' };
      capabilities?: string[];
      status?: 'active' | 'paused' | 'closed';
      hours?: StoreHours[];
      cancelCutoffMinutes?: number;
    },
  ) => staffClient.put<Store>(`/stores/${enc(id)}/profile`, p),
};

// ---- dispatch ----

export const dispatch = {
  board: (storeId: string, day: string) =>
    staffClient.get<DispatchBoard>(`/stores/${enc(storeId)}/door-to-door/board`, { day }),
  plan: (storeId: string, day: string) =>
    staffClient.post<DoorToDoorDayPlan>(`/stores/${enc(storeId)}/door-to-door/plan`, { day }),
  team: (storeId: string) =>
    staffClient.get<{ items: TeamMember[] }>(`/stores/${enc(storeId)}/team`).then((r) => r.items),
};

// ---- replenishment ----

export const replenishment = {
  suggestions: (q: { status?: SuggestionStatus; locationId?: string } = {}) =>
    staffClient
      .get<{ items: ReplenishmentSuggestion[] }>('/replenishment/suggestions', q)
      .then((r) => r.items),
  plan: (fillRate = 0.95) => staffClient.post<ReplenishmentPlan>('/replenishment/plan', { fillRate }),
  approve: (id: string, supplier?: string) =>
    staffClient.post<ReplenishmentSuggestion>(
      `/replenishment/suggestions/${enc(id)}/approve`,
      supplier ? { supplier } : {},
    ),
  dismiss: (id: string) =>
    staffClient.post<ReplenishmentSuggestion>(`/replenishment/suggestions/${enc(id)}/dismiss`, {}),
  forecast: (locationId: string, partId: string, period: 'week' | 'month') =>
    staffClient.get<ForecastVsActual>(
      `/replenishment/locations/${enc(locationId)}/parts/${enc(partId)}/forecast`,
      { period },
    ),
};

// ---- search & bookings ----

export const booking = {
  search: (body: {
    near: { lon: number; lat: number; coord: 'gcj02' };
    vehicleId: string;
    items: string[];
    radiusKm?: number;
    maxStores?: number;
    slotsPerStore?: number;
    days?: number;
  }) => ownerClient.post<SearchResult>('/search', body),
  hold: (
    b: { storeId: string; vehicleId: string; items: string[]; startAt: string; notes?: string },
    key: string,
  ) => ownerClient.post<Booking>('/bookings', { ...b, confirm: false }, { idempotencyKey: key }),
  confirm: (id: string) => ownerClient.post<Booking>(`/bookings/${enc(id)}/confirm`, {}),
  cancel: (api: ApiClient, id: string, reason?: string) =>
    api.post<Booking>(`/bookings/${enc(id)}/cancel`, reason ? { reason } : {}),
  get: (api: ApiClient, id: string) => api.get<Booking>(`/bookings/${enc(id)}`),
  list: (
    api: ApiClient,
    q: {
      storeId?: string;
      status?: string;
      from?: string;
      to?: string;
      limit?: number;
      cursor?: string | null;
    } = {},
  ) => api.get<Page<Booking>>('/bookings', q),
  noShow: (id: string) => staffClient.post<Booking>(`/bookings/${enc(id)}/no-show`),
  prepay: (id: string) =>
    ownerClient.post<{ payment: Payment; payUrl: string }>(`/bookings/${enc(id)}/payments`, undefined, {
      idempotencyKey: newIdempotencyKey(),
    }),
  sandboxPay: (paymentId: string, outcome: 'succeeded' | 'failed' = 'succeeded') =>
    ownerClient.post<Payment>(`/payments/${enc(paymentId)}/sandbox/pay`, { outcome }),
  payments: (api: ApiClient, q: { bookingId?: string; workOrderId?: string }) =>
    api.get<{ items: Payment[] }>('/payments', q).then((r) => r.items),
  payment: (api: ApiClient, id: string) => api.get<Payment>(`/payments/${enc(id)}`),
};

// ---- work orders ----

type Decision = { lineId: string; approve: boolean };

export const workOrders = {
  list: (q: { storeId?: string; status?: WorkOrderStatus; limit?: number } = {}) =>
    staffClient.get<{ items: WorkOrderSummary[] }>('/work-orders', { limit: 100, ...q }).then((r) => r.items),
  myJobs: () => staffClient.get<{ items: WorkOrderSummary[] }>('/me/jobs').then((r) => r.items),
  ownerList: () => ownerClient.get<{ items: WorkOrderSummary[] }>('/me/work-orders').then((r) => r.items),
  get: (id: string, api: ApiClient = staffClient) => api.get<WorkOrder>(`/work-orders/${enc(id)}`),
  timeline: (id: string, api: ApiClient = staffClient) =>
    api.get<{ items: TimelineNode[] }>(`/work-orders/${enc(id)}/timeline`).then((r) => r.items),
  /** The photo's bytes (the route needs the bearer token, so <img src> cannot load it directly). */
  photo: (id: string, photoId: string, api: ApiClient = staffClient) =>
    api.request<Blob>('GET', `/work-orders/${enc(id)}/photos/${enc(photoId)}`, { blob: true }),
  checkIn: (body: { bookingId: string; odometerKm: number; fuelLevelPct: number; notes?: string }) =>
    staffClient.post<WorkOrder>('/work-orders/check-in', body, { idempotencyKey: newIdempotencyKey() }),
  walkIn: (body: {
    storeId: string;
    plate: string;
    phone: string;
    name?: string;
    vehicleModelId?: string;
    items: string[];
    odometerKm: number;
    fuelLevelPct: number;
    notes?: string;
  }) => staffClient.post<WorkOrder>('/work-orders/walk-in', body, { idempotencyKey: newIdempotencyKey() }),
  assign: (id: string, technicianId: string, bayId?: string) =>
    staffClient.post<WorkOrder>(`/work-orders/${enc(id)}/assign`, {
      technicianId,
      ...(bayId ? { bayId } : {}),
    }),
  inspect: (id: string, itemId: string, body: { result: InspectionResult; note?: string }) =>
    staffClient.put<WorkOrder>(`/work-orders/${enc(id)}/inspection/${enc(itemId)}`, body),
  uploadPhoto: (id: string, file: Blob, inspectionItemId?: string) => {
    const form = new FormData();
    if (inspectionItemId) form.set('inspectionItemId', inspectionItemId);
    form.set('file', file, file instanceof File && file.name ? file.name : 'photo.jpg');
    return staffClient.request<{ id: string; contentType: string; bytes: number }>(
      'POST',
      `/work-orders/${enc(id)}/photos`,
      { form },
    );
  },
  addLine: (id: string, body: EstimateAddition) =>
    staffClient.post<WorkOrder>(`/work-orders/${enc(id)}/estimate-lines`, body),
  removeLine: (id: string, lineId: string) =>
    staffClient.del<WorkOrder>(`/work-orders/${enc(id)}/estimate-lines/${enc(lineId)}`),
  sendEstimate: (id: string) =>
    staffClient.post<{ approvalUrl: string; workOrder: WorkOrder }>(`/work-orders/${enc(id)}/send-estimate`),
  tickStep: (id: string, stepId: string) =>
    staffClient.post<WorkOrder>(`/work-orders/${enc(id)}/steps/${enc(stepId)}/done`),
  finish: (id: string) => staffClient.post<WorkOrder>(`/work-orders/${enc(id)}/finish`),
  qc: (id: string, passed: boolean, notes?: string) =>
    staffClient.post<WorkOrder>(`/work-orders/${enc(id)}/qc`, { passed, ...(notes ? { notes } : {}) }),
  pay: (id: string, method: PayMethod, amountFen: number) =>
    staffClient.post<Payment>(
      `/work-orders/${enc(id)}/payments`,
      { method, amountFen },
      { idempotencyKey: newIdempotencyKey() },
    ),
  handOver: (id: string) => staffClient.post<WorkOrder>(`/work-orders/${enc(id)}/hand-over`),
  cancel: (id: string, reason: string) =>
    staffClient.post<WorkOrder>(`/work-orders/${enc(id)}/cancel`, { reason }),
  // the owner
  ownerGet: (id: string) => ownerClient.get<WorkOrder>(`/work-orders/${enc(id)}`),
  ownerDecide: (id: string, decisions: Decision[]) =>
    ownerClient.post<WorkOrder>(`/work-orders/${enc(id)}/approval`, { decisions }),
  review: (id: string, body: { stars: number; tags: string[]; text?: string }) =>
    ownerClient.post<WorkOrder>(`/work-orders/${enc(id)}/review`, body),
  // the signed link (no sign-in)
  approval: (token: string) =>
    ownerClient.request<Approval>('GET', `/approvals/${enc(token)}`, { anonymous: true }),
  decide: (token: string, decisions: Decision[]) =>
    ownerClient.request<WorkOrder>('POST', `/approvals/${enc(token)}`, {
      body: { decisions },
      anonymous: true,
    }),
};

export type PayMethod = 'wechat' | 'alipay' | 'card' | 'cash';
export const PAY_METHODS: readonly PayMethod[] = ['wechat', 'alipay', 'card', 'cash'];

// ---- admin ----

export const admin = {
  orgs: (q: { kind?: OrgKind; parentId?: string; cursor?: string | null; limit?: number } = {}) =>
    staffClient.get<Page<Org>>('/orgs', { limit: 200, ...q }),
  createOrg: (kind: Exclude<OrgKind, 'platform'>, name: string, parentId: string) =>
    staffClient.post<Org>('/orgs', { kind, name, parentId }, { idempotencyKey: newIdempotencyKey() }),
  updateOrg: (id: string, patch: { name?: string; status?: 'active' | 'disabled' }) =>
    staffClient.patch<Org>(`/orgs/${enc(id)}`, patch),
  users: (
    q: { orgId?: string; role?: StaffRole; status?: string; cursor?: string | null; limit?: number } = {},
  ) => staffClient.get<Page<Staff>>('/users', { limit: 100, ...q }),
  invite: (b: { orgId: string; role: StaffRole; name: string; login: string; phone?: string }) =>
    staffClient.post<Invitation>('/users/invitations', b, { idempotencyKey: newIdempotencyKey() }),
  updateUser: (id: string, patch: { name?: string; role?: StaffRole; status?: 'active' | 'disabled' }) =>
    staffClient.patch<Staff>(`/users/${enc(id)}`, patch),
  outbox: (to?: string) =>
    staffClient.get<Page<OutboxMessage>>('/outbox', { to, limit: 20 }).then((r) => r.items),
  analytics: (from: string, to: string) =>
    staffClient.get<AnalyticsOverview>('/analytics/overview', { from, to }),
};
