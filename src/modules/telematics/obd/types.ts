// Types shared by the OBD-II decoder, encoder and CLI. Pure data, no behaviour.

/** Units of mode 01 values, as plain strings so they serialise as-is. */
export type ObdUnit =
  | 'rpm'
  | 'km/h'
  | '°C'
  | '%'
  | 'kPa'
  | 'V'
  | 'g/s'
  | 's'
  | 'km'
  | 'min'
  | 'L/h'
  | 'Pa'
  | 'ratio'
  | '°'
  | 'count';

/** Value of mode 01 PIDs 00, 20, 40 … C0: which PIDs of the next range the ECU supports. */
export interface SupportedPidsValue {
  /** Two-digit upper-case hex PIDs, ascending, e.g. `["01","03","04"]`. */
  supportedPids: string[];
}

export type IgnitionType = 'spark' | 'compression';

/** One readiness monitor: is the test available on this vehicle, and is it still incomplete. */
export interface MonitorState {
  available: boolean;
  incomplete: boolean;
}

/** Monitors of byte B, common to both ignition types. */
export type CommonMonitorName = 'misfire' | 'fuelSystem' | 'components';

/** Monitors of bytes C/D for spark ignition (bits 0..7). */
export type SparkMonitorName =
  | 'catalyst'
  | 'heatedCatalyst'
  | 'evaporativeSystem'
  | 'secondaryAirSystem'
  | 'gasolineParticulateFilter'
  | 'oxygenSensor'
  | 'oxygenSensorHeater'
  | 'egrVvtSystem';

/** Monitors of bytes C/D for compression ignition (bits 2 and 4 are reserved). */
export type CompressionMonitorName =
  'nmhcCatalyst' | 'noxScrMonitor' | 'boostPressure' | 'exhaustGasSensor' | 'pmFilter' | 'egrVvtSystem';

export type MonitorName = CommonMonitorName | SparkMonitorName | CompressionMonitorName;

/** Value of mode 01 PID 01 (monitor status since DTCs cleared). */
export interface MonitorStatus {
  /** Malfunction indicator lamp commanded on. */
  mil: boolean;
  /** Number of confirmed emission-related DTCs (7 bits). */
  dtcCount: number;
  ignition: IgnitionType;
  /** Every monitor defined for the ignition type, in bit order (common ones first). */
  monitors: Partial<Record<MonitorName, MonitorState>>;
}

interface FrameBase {
  /** CAN/legacy header of the answering ECU (`7E8`, `18DAF110`, `486B10`) when headers were on. */
  ecu?: string;
}

/** A mode 01 PID with a numeric value. */
export interface NumericPidFrame extends FrameBase {
  kind: 'pid';
  mode: '01';
  pid: string;
  name: string;
  value: number;
  unit: ObdUnit;
}

/** Mode 01 PID 00/20/40/…: supported-PID bitmap. */
export interface SupportedPidsFrame extends FrameBase {
  kind: 'supported-pids';
  mode: '01';
  pid: string;
  name: string;
  value: SupportedPidsValue;
}

/** Mode 01 PID 01. */
export interface MonitorStatusFrame extends FrameBase {
  kind: 'monitor-status';
  mode: '01';
  pid: '01';
  name: string;
  value: MonitorStatus;
}

export type DtcMode = '03' | '07' | '0A';

/** Mode 03 (stored), 07 (pending) or 0A (permanent) trouble codes. */
export interface DtcFrame extends FrameBase {
  kind: 'dtcs';
  mode: DtcMode;
  dtcs: string[];
}

/** Mode 09 PID 02: vehicle identification number. */
export interface VinFrame extends FrameBase {
  kind: 'vin';
  mode: '09';
  pid: '02';
  name: string;
  vin: string;
}

export type ObdErrorCode =
  | 'no_data'
  | 'elm_error'
  | 'bad_hex'
  | 'bad_frame'
  | 'multiframe'
  | 'negative_response'
  | 'unsupported_mode'
  | 'unsupported_pid'
  | 'short_payload'
  | 'bad_dtc_count'
  | 'bad_vin';

/** Anything that could not be decoded: the decoder reports it instead of throwing. */
export interface ObdErrorFrame extends FrameBase {
  kind: 'error';
  code: ObdErrorCode;
  message: string;
  /** The offending ELM327 line or payload hex, when there is one. */
  input?: string;
}

export type Mode01Frame = NumericPidFrame | SupportedPidsFrame | MonitorStatusFrame;
export type DecodedFrame = Mode01Frame | DtcFrame | VinFrame | ObdErrorFrame;

/** Options of {@link decodeElmResponse}. */
export interface DecodeOptions {
  /**
   * Layout of mode 03/07/0A answers that carry no CAN header or PCI byte: `true` = ISO 15765-4 CAN (the
   * byte after the service id is the code count), `false` (default) = legacy J1850/ISO 9141/KWP (2-byte
   * codes, `0000` padding). Answers with a CAN header or PCI byte always use the CAN layout.
   */
  can?: boolean;
}
