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
export { techniciansCached, invalidateTechnicians, onTechniciansInvalidated } from './roster-cache.js';
export { techniciansRoutes } from './routes.js';
export { performanceOf, starRating, recencyWeight, type Performance, type WorkFacts } from './performance.js';
export { addTraining, trainingOf, type Training } from './training.js';
