/** Public API of the customers module: vehicles and owner–store visibility. */
export {
  addVehicle,
  listOwnerVehicles,
  ownerVehicle,
  updateVehicle,
  removeVehicle,
  vehicleById,
  vehiclesByIds,
  linkCustomer,
  staffMaySeeOwner,
  findVehiclesByPlateForStaff,
  checkPlate,
  checkVin,
  ownerVehicleByPlate,
  recordOdometer,
  importVehicles,
  type VehicleRow,
  type VehicleInput,
} from './vehicles.js';
export { customersRoutes } from './routes.js';
