/** Domain primitives: money, VIN, plates, phones, coordinates, ids and the CLI tool bodies. */
export * from './errors.js';
export * from './random.js';
export * from './money.js';
export * from './vin.js';
export * from './plate.js';
export * from './phone.js';
export * from './geo.js';
export * from './ids.js';
export * from './cli-tools.js';
