/** Public API of the technicians module (roster now; performance and rating with dispatch). */
export {
  createTechnician,
  updateTechnician,
  addTimeOff,
  loadTechnicians,
  qualifies,
  type Technician,
  type Shift,
  type Certification,
} from './roster.js';
export { techniciansCached, invalidateTechnicians } from './roster-cache.js';
export { techniciansRoutes } from './routes.js';
