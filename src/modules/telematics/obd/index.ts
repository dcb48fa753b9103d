// Public API of the OBD-II decoder and trouble-code catalogue (telematics issue items 3 and 4).
export type {
  DecodedFrame,
  DecodeOptions,
  DtcFrame,
  DtcMode,
  IgnitionType,
  Mode01Frame,
  MonitorName,
  MonitorState,
  MonitorStatus,
  MonitorStatusFrame,
  NumericPidFrame,
  ObdErrorCode,
  ObdErrorFrame,
  ObdUnit,
  SupportedPidsFrame,
  SupportedPidsValue,
  VinFrame,
} from './types.js';

// Decoding
export { decodeElmResponse } from './decode-elm-response.js';
export { decodePid, decodeMode01 } from './decode-pid.js';
export { parseElmLines, type ElmItem, type ElmMessage, type Framing } from './elm-parse.js';
export {
  decodeDtcAnswer,
  dtcFromBytes,
  dtcToBytes,
  encodeDtcAnswer,
  isDtcCode,
  type DtcLayout,
} from './dtc-code.js';
export { vinFromCanPayload, vinFromLegacyMessages, encodeVinAnswer } from './vin.js';
export { MODE01_PIDS, mode01Pid, type PidDef, type LinearPidDef } from './pid-table.js';

// Encoding (simulator)
export { encodePid, encodeMode01Answer, type Mode01Value } from './encode-pid.js';
export { formatElmLines, isoTpFrames, type ElmFormatOptions, type ElmProtocol } from './elm-format.js';

// CLI (`pitlane obd decode [--can] <hex…>`)
export { obdDecodeCommand, type ObdDecodeCommandResult } from './obd-decode-command.js';

// Trouble-code catalogue
export {
  severityOf,
  classifyDtc,
  SEVERITY_RULES,
  type DtcSeverity,
  type SeverityRule,
} from './dtc-severity.js';
export {
  loadDtcCatalogue,
  buildDtcCatalogue,
  dtcCatalogueAttribution,
  systemOf,
  DEFAULT_DTC_DATA_DIR,
  type DtcCatalogue,
  type DtcEntry,
  type DtcSource,
  type DtcSystem,
} from './dtc-catalogue.js';
