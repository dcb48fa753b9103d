/**
 * Shapes of the public /api/v1 answers the console uses (the OpenAPI document at
 * /api/v1/openapi.json is the contract; these follow it). Money is integer fen.
 */

import { SERVICE_COMPONENTS } from '../../../src/modules/maintenance/detect/types.js';

export type Coord = 'wgs84' | 'gcj02' | 'bd09';
export type Powertrain = 'ICE' | 'HEV' | 'PHEV' | 'BEV';
export type BayType = 'general_lift' | 'alignment' | 'tyre' | 'nev_safe' | 'quick';
export type StaffRole =
  | 'platform_operator'
  | 'chain_admin'
  | 'store_manager'
  | 'front_desk'
  | 'technician'
  | 'warehouse'
  | 'regulator'
  | 'insurer'
  | 'repair_shop';
export const STAFF_ROLES: readonly StaffRole[] = [
  'platform_operator',
  'chain_admin',
  'store_manager',
  'front_desk',
  'technician',
  'warehouse',
  'regulator',
  'insurer',
  'repair_shop',
];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface SessionUser {
  id: string;
  kind: 'staff' | 'owner';
  name: string;
  role: string;
  orgId: string | null;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: SessionUser;
}

export interface Me extends SessionUser {
  phone: string | null;
  locale: string;
  permissions: string[];
}

export interface Vehicle {
  id: string;
  vin: string | null;
  plate: string;
  plateKind: string;
  vehicleModelId: string;
  modelName: string;
  powertrain: string;
  year: number | null;
  color: string | null;
  odometerKm: number | null;
  nickname: string | null;
}

export interface VehicleInput {
  vin?: string | null;
  plate: string;
  vehicleModelId: string;
  year?: number | null;
  color?: string | null;
  odometerKm?: number | null;
  nickname?: string | null;
}

export interface VehicleModel {
  id: string;
  make: string;
  makeZh: string;
  model: string;
  modelZh: string;
  yearFrom: number;
  yearTo: number;
  powertrain: Powertrain;
  engine: string | null;
  tier: 'economy' | 'mid' | 'premium';
}

export interface SopStep {
  code: string;
  zh: string;
  en: string;
  minutes: number;
}

export interface ServiceItem {
  code: string;
  nameZh: string;
  nameEn: string;
  category: string;
  labourMinutes: number;
  skills: string[];
  certifications: string[];
  bayType: BayType;
  powertrains: Powertrain[];
  sopSteps: SopStep[];
  warrantyMonths: number;
  warrantyKm: number;
  packageItems: string[];
  packageDiscountBp: number;
  active: boolean;
}

export interface PriceLine {
  kind: 'labour' | 'part' | 'discount';
  itemCode: string;
  partTypeCode?: string;
  sku?: string;
  description: string;
  descriptionEn: string;
  qtyMilli: number;
  unitPriceFen: number;
  amountFen: number;
}

export interface Quote {
  vehicleModelId: string;
  items: Array<{ code: string; nameZh: string; nameEn: string; labourMinutes: number; amountFen: number }>;
  lines: PriceLine[];
  labourFen: number;
  partsFen: number;
  discountFen: number;
  totalFen: number;
  durationMinutes: number;
  bayType: BayType;
  warrantyMonths: number;
  warrantyKm: number;
}

export interface Store {
  id: string;
  name: string;
  address: string;
  phone: string | null;
  lon: number;
  lat: number;
  coord: Coord;
  city: string;
  district: string;
  doorToDoorRadiusM: number;
  capabilities: string[];
  certifications: string[];
  holidayMode: string;
  cancelCutoffMinutes: number;
  commissionBp: number;
  ratingAvg: number | null;
  ratingCount: number;
  status: string;
  distanceM?: number;
}

export interface StoreHours {
  weekday: number;
  open: string;
  close: string;
}

export interface StoreDetail extends Store {
  hours: StoreHours[];
  bayTypes: string[];
}

export interface Slot {
  startAt: string;
  endAt: string;
}

export interface Reason {
  code: string;
  zh: string;
  en: string;
  weight: number;
}

export interface SearchOption {
  storeId: string;
  storeName: string;
  lon: number;
  lat: number;
  coord: Coord;
  distanceM: number;
  quote: Quote;
  slots: Slot[];
  score: number;
  reasons: Reason[];
}

export interface SearchResult {
  storesConsidered: number;
  options: SearchOption[];
}

export interface Availability {
  storeId: string;
  durationMinutes: number;
  totalFen: number;
  days: Array<{ day: string; closed: boolean; slots: Slot[] }>;
}

export type BookingStatus =
  'held' | 'confirmed' | 'checked_in' | 'completed' | 'cancelled' | 'no_show' | 'expired';

export interface Booking {
  id: string;
  storeId: string;
  ownerId: string;
  vehicleId: string;
  items: string[];
  status: BookingStatus;
  source: string;
  startAt: string;
  endAt: string;
  bayId: string;
  technicianId: string;
  holdExpiresAt: string | null;
  lines: PriceLine[];
  totalFen: number;
  notes: string | null;
  workOrderId: string | null;
  createdAt: string;
  plate?: string | null;
  history?: Array<{
    at: string;
    from: string | null;
    to: string;
    actorRole: string | null;
    note: string | null;
  }>;
}

export interface Payment {
  id: string;
  storeId: string;
  bookingId: string | null;
  workOrderId: string | null;
  kind: string;
  method: string;
  amountFen: number;
  refundedFen: number;
  status: string;
  createdAt: string;
  paidAt: string | null;
}

export interface Bay {
  id: string;
  storeId?: string;
  name: string;
  type: BayType | string;
  active: boolean;
}

export interface Technician {
  id: string;
  storeId: string;
  userId: string | null;
  name: string;
  skills: string[];
  level: number;
  status: 'active' | 'inactive';
  certifications: Array<{
    code: string;
    number: string | null;
    issuedOn: string | null;
    expiresOn: string | null;
  }>;
  shifts: Array<{ weekday: number; start: string; end: string }>;
}

export interface Board {
  day: string;
  bays: Bay[];
  bookings: Booking[];
}

export interface Settlement {
  storeId: string;
  day: string;
  byMethod: Array<{ method: string; count: number; amountFen: number }>;
  grossFen: number;
  refundsFen: number;
  netFen: number;
  onlineCollectedFen: number;
  commissionBp: number;
  commissionFen: number;
  payoutDueFen: number;
}

export type OrgKind = 'platform' | 'chain' | 'franchisee' | 'store';

export interface Org {
  id: string;
  kind: OrgKind;
  name: string;
  parentId: string | null;
  status: 'active' | 'disabled';
  createdAt: string;
}

export interface Staff {
  id: string;
  name: string;
  login: string | null;
  phone: string | null;
  role: string;
  orgId: string | null;
  status: string;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface Invitation {
  user: Staff;
  inviteToken: string;
  inviteExpiresAt: string;
}

export interface OutboxMessage {
  id: string;
  channel: string;
  template: string;
  recipientAddress: string | null;
  payload: Record<string, unknown>;
  status: string;
  createdAt: string;
}

// ---- Work orders (issue 4 wires these as the lead lands /api/v1/work-orders…) ----

export type WorkOrderStatus =
  | 'checked_in'
  | 'inspection'
  | 'estimate'
  | 'awaiting_approval'
  | 'approved'
  | 'in_progress'
  | 'quality_check'
  | 'ready'
  | 'handed_over'
  | 'reviewed'
  | 'cancelled';

export const WORK_ORDER_FLOW: readonly WorkOrderStatus[] = [
  'checked_in',
  'inspection',
  'estimate',
  'awaiting_approval',
  'approved',
  'in_progress',
  'quality_check',
  'ready',
  'handed_over',
  'reviewed',
];

export type InspectionResult = 'green' | 'yellow' | 'red';

export interface PhotoMeta {
  id: string;
  inspectionItemId: string | null;
  contentType: string;
  width: number | null;
  height: number | null;
  createdAt: string;
}

export interface InspectionItem {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  result: InspectionResult | null;
  note: string | null;
  recommendItem: string | null;
  photoIds: string[];
}

export type LineApproval = 'pending' | 'approved' | 'declined';

export interface EstimateLine {
  id: string;
  kind: 'labour' | 'part';
  itemCode: string;
  partTypeCode: string | null;
  description: string;
  qtyMilli: number;
  unitPriceFen: number;
  amountFen: number;
  recommended: boolean;
  approval: LineApproval;
}

/** A line added to the estimate: a catalog item (priced by the store) or a custom line. */
export type EstimateAddition =
  | { itemCode: string }
  | { custom: { kind: 'labour' | 'part'; description: string; qtyMilli: number; unitPriceFen: number } };

export interface SopStepProgress {
  id: string;
  itemCode: string;
  stepCode: string;
  zh: string;
  en: string;
  standardMinutes: number;
  doneAt: string | null;
  minutes: number | null;
}

export interface TimelineNode {
  at: string;
  event: string;
  from: string | null;
  to: string | null;
  actorRole: string | null;
  actorName?: string | null;
  data?: unknown;
}

export interface WorkOrderSummary {
  id: string;
  number: string;
  storeId: string;
  plate: string;
  items: string[];
  status: WorkOrderStatus;
  technicianId: string | null;
  bayId: string | null;
  totalFen: number;
  createdAt: string;
}

export interface WorkOrder extends WorkOrderSummary {
  storeName: string;
  bookingId: string | null;
  ownerId: string;
  vehicleId: string;
  vehicleModel: string;
  powertrain: string;
  nextEvents: string[];
  source: string;
  technicianName: string | null;
  odometerKm: number | null;
  fuelLevelPct: number | null;
  notes: string | null;
  comebackOf: string | null;
  paidFen: number;
  dueFen: number;
  warrantyUntil: string | null;
  warrantyKmUntil: number | null;
  handedOverAt: string | null;
  inspection: InspectionItem[];
  photos: PhotoMeta[];
  estimate: EstimateLine[];
  steps: SopStepProgress[];
  qc: Array<{ passed: boolean; notes: string | null; at: string }>;
  payments: Payment[];
}

export interface Approval {
  workOrderId: string;
  number: string;
  storeName: string;
  plate: string;
  status: WorkOrderStatus;
  lines: EstimateLine[];
  inspection: InspectionItem[];
  totalFen: number;
}

/** What a service record resets in predictive maintenance (the server's own list). */
export type ServiceComponent = (typeof SERVICE_COMPONENTS)[number];
export { SERVICE_COMPONENTS };

/** A service on the vehicle: from a Pitlane work order, or recorded by the owner (done elsewhere). */
export interface ServiceRecord {
  id: string;
  component: ServiceComponent;
  day: string;
  odometerKm?: number;
  source: 'work_order' | 'owner';
}

export interface ServiceRecordInput {
  component: ServiceComponent;
  day: string;
  odometerKm?: number;
}

export interface ServiceBook {
  vehicleId: string;
  plate: string;
  entries: Array<{
    workOrderId: string;
    number: string;
    at: string;
    storeId: string;
    storeName: string;
    odometerKm: number | null;
    items: Array<{ code: string; nameZh: string; nameEn: string }>;
    parts: Array<{
      lineId: string;
      partTypeCode: string | null;
      description: string;
      qtyMilli: number;
      /** Units scanned onto this line, with their trace codes (inventory). */
      traced?: Array<{ code: string; sku: string; brand: string; name: string; batch: string | null }>;
    }>;
    totalFen: number;
    warrantyUntil: string | null;
    warrantyKmUntil: number | null;
    comebackOf: string | null;
  }>;
}

// ---- Analytics ----

export interface AnalyticsOverview {
  days: Array<{ day: string; searches: number; bookings: number; confirmed: number; revenueFen: number }>;
  conversion: { searches: number; bookings: number; rate: number };
  averageOrderFen: number;
  utilisation: Array<{
    storeId: string;
    storeName: string;
    bookedMinutes: number;
    capacityMinutes: number;
    rate: number;
  }>;
  topServices: Array<{ code: string; nameZh: string; nameEn: string; count: number }>;
}

// ---- Dispatch ----

export type DoorToDoorKind = 'onsite' | 'pickup_return';

/** A door-to-door request on the dispatch board (position WGS-84). */
export interface DispatchJob {
  id: string;
  kind: DoorToDoorKind;
  status: string;
  items: string[];
  lon: number;
  lat: number;
  windowStart: string;
  windowEnd: string;
  /** The promised arrival window, once scheduled. */
  arrivalFrom: string | null;
  arrivalTo: string | null;
  assignee: string | null;
}

export interface DispatchBoard {
  day: string;
  store: { lon: number; lat: number };
  technicians: Array<{ id: string; name: string; jobs: DispatchJob[]; busyMinutes: number }>;
  waiting: DispatchJob[];
  declined: DispatchJob[];
}

export interface DoorToDoorDayPlan {
  storeId: string;
  day: string;
  store: { lon: number; lat: number };
  technicians: number;
  routes: Array<{
    technicianId: string;
    technicianName: string;
    shiftStart: string;
    shiftEnd: string;
    distanceM: number;
    stops: Array<{
      requestId: string;
      kind: 'onsite' | 'pickup' | 'return';
      start: string;
      end: string;
      lon: number;
      lat: number;
    }>;
  }>;
  scheduled: string[];
  declined: string[];
  frozen: string[];
}

export interface TeamMember {
  id: string;
  name: string;
  skills: string[];
  certifications: Array<{ code: string; expiresOn: string | null }>;
  performance: {
    jobs: number;
    /** Standard over clocked minutes (1.1 = 110 %). */
    efficiency: number | null;
    firstTimeFixRate: number | null;
    comebackRate: number | null;
    qcPassRate: number | null;
    reviewCount: number;
    ratingRaw: number | null;
    stars: number;
  };
  training: Array<{ course: string; completedOn: string; hours: number; certificateCode: string | null }>;
}

// ---- telematics and predictive maintenance ----

export type ConsentPurpose = 'location' | 'driving_behaviour' | 'insurer_sharing';
export const CONSENT_PURPOSES: readonly ConsentPurpose[] = [
  'location',
  'driving_behaviour',
  'insurer_sharing',
];

export interface Consents {
  /** The consent text version the owner is asked to agree to now. */
  currentVersion: string;
  items: Array<{ purpose: ConsentPurpose; granted: boolean; version: string | null; at: string | null }>;
  history: Array<{ purpose: string; granted: boolean; version: string; at: string }>;
}

export interface DeviceBinding {
  bindingId: string;
  deviceId: string;
  vehicleId: string;
  boundAt: string;
}

export interface TelematicsDevice {
  id: string;
  serial: string;
  /** Masked by the API (last 4 digits). */
  imei: string | null;
  model: string | null;
  bound: boolean;
  lastSeenAt: string | null;
  online: boolean;
  /** Set while an operator has the device disabled. */
  disabledAt: string | null;
}

export interface VehicleHealth {
  vehicleId: string;
  /** null while the vehicle has sent nothing (no dongle bound yet). */
  asOf: string | null;
  odometerKm: number | null;
  battery12vV: number | null;
  traction: {
    socPct: number | null;
    packVoltageV: number | null;
    packTempC: number | null;
    charging: boolean | null;
  };
  /** Keys fl, fr, rl, rr. */
  tyresKpa: Record<string, number> | null;
  mil: boolean | null;
  activeDtcs: Array<{ code: string; description: string | null; severity: string | null }>;
  latest: Record<string, { value: number; unit: string; at: string }>;
  dtcAttribution: string | null;
}

export type AlertSeverity = 'watch' | 'soon' | 'urgent';

export interface LocalText {
  code: string;
  zh: string;
  en: string;
}

export interface MaintenanceProposal {
  id: string;
  storeId: string;
  bookingId: string;
  items: string[];
  startAt: string;
  expiresAt: string;
  totalFen: number;
  /** offered | accepted | expired | declined … */
  status: string;
  reasons: LocalText[];
}

export interface MaintenanceAlert {
  id: string;
  vehicleId: string;
  component: string;
  componentZh: string;
  componentEn: string;
  severity: AlertSeverity;
  /** open | notified | proposed | booked | resolved | dismissed | snoozed */
  status: string;
  confidence: number;
  dueDay: string | null;
  dueInKm: number | null;
  evidence: LocalText[];
  openedAt: string;
  snoozedUntil: string | null;
  proposal: MaintenanceProposal | null;
}

export interface AlertSummaryRow {
  city: string | null;
  component: string;
  severity: string;
  count: number;
}

// ---- Replenishment ----

export type SuggestionStatus = 'pending' | 'approved' | 'dismissed';

/** A suggested transfer (from the upstream warehouse) or purchase order, awaiting the planner. */
export interface ReplenishmentSuggestion {
  id: string;
  locationId: string;
  partId: string;
  kind: 'transfer' | 'purchase';
  fromLocationId: string | null;
  qtyMilli: number;
  positionMilli: number;
  reorderPointMilli: number;
  orderUpToMilli: number;
  fillRate: number;
  forecast: {
    weeklyMeanMilli: number;
    historyMilli: number[];
    method: string;
    /** Demand of live bookings and maintenance proposals inside lead time + review. */
    known?: {
      milli: number;
      weeks: number;
      bookings: number;
      proposals: number;
      orderUpToWithoutMilli: number;
    };
  };
  /** The server's English sentence; the console renders its own from the numbers. */
  reason: string;
  part: { sku: string; name: string; unit: string } | null;
  locationName: string | null;
  fromLocationName: string | null;
  status: SuggestionStatus;
  documentId: string | null;
  createdAt: string;
}

export interface ReplenishmentPlan {
  locations: number;
  series: number;
  method: 'pitlane' | 'sba';
  policies: number;
  suggestions: ReplenishmentSuggestion[];
}

export interface ForecastVsActual {
  locationId: string;
  partId: string;
  sku: string;
  name: string;
  unit: string;
  period: 'week' | 'month';
  method: 'pitlane' | 'sba';
  demandClass: 'smooth' | 'erratic' | 'intermittent' | 'lumpy' | 'none';
  band: { lower: number; upper: number };
  history: Array<{ period: string; actualMilli: number; forecastMilli: number | null }>;
  forecast: Array<{
    period: string;
    meanMilli: number;
    lowMilli: number;
    highMilli: number;
    knownMilli: number;
  }>;
}
