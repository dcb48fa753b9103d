/** Public API of telematics: devices, consents, MQTT ingest, health snapshot, trips, DTC catalogue. */
export { telematicsRoutes } from './routes.js';
export { startTelematics, registerTelematicsJobs } from './service.js';
export { Ingestor, tripSettings, H3_RESOLUTION, type Outcome, type IngestOptions } from './ingest.js';
export { startEmbeddedBroker, startExternalConsumer, type BrokerHandle } from './broker.js';
export {
  parseMessage,
  parseTopic,
  topicOf,
  MESSAGE_KINDS,
  MAX_PAYLOAD_BYTES,
  TOPIC_PREFIX,
  type MessageKind,
  type RejectReason,
} from './payloads.js';
export { CONSENT_PURPOSES, CONSENT_VERSION, type ConsentPurpose } from './devices.js';
export { applyRetention, closeStaleTrips, ensurePartitions } from './maintenance.js';
export { dtcCatalogue, DTC_ATTRIBUTION } from './catalogue.js';
