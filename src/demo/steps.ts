/** The demo's steps in order: later steps use what earlier ones made. */
import type { DemoStep } from './load-demo.js';
import { storesStep } from './stores-step.js';
import { vehiclesStep } from './vehicles-step.js';
import { historyStep } from './history-step.js';
import { doorToDoorStep } from './door-to-door-step.js';
import { inventoryStep } from './inventory-step.js';
import { telemetryStep } from './telemetry-step.js';

export const DEMO_STEPS: DemoStep[] = [
  storesStep,
  vehiclesStep,
  historyStep,
  doorToDoorStep,
  inventoryStep,
  telemetryStep,
];
