/** Owner self-service for vehicles; staff lookups of customers they may see. */
import { z } from 'zod';
import { requireOwner } from '../../platform/auth/principal.js';
import { principalOf } from '../../platform/http/guard.js';
import { idempotent } from '../../platform/http/idempotency.js';
import { id, text, type ModuleRoutes } from '../../platform/http/schemas.js';
import { maskPhone } from '../../platform/domain/phone.js';
import { roleHas } from '../../platform/auth/roles.js';
import { audit } from '../../platform/audit.js';
import type { Executor } from '../../platform/db/types.js';
import { catalogSnapshot } from '../catalog/index.js';
import { getUsersByIds } from '../identity/index.js';
import {
  addVehicle,
  findVehiclesByPlateForStaff,
  listOwnerVehicles,
  removeVehicle,
  updateVehicle,
  type VehicleRow,
} from './vehicles.js';

export const vehicleView = z
  .object({
    id: z.string(),
    vin: z.string().nullable(),
    plate: z.string(),
    plateKind: z.string(),
    vehicleModelId: z.string(),
    modelName: z.string(),
    powertrain: z.string(),
    year: z.number().nullable(),
    color: z.string().nullable(),
    odometerKm: z.number().nullable(),
    nickname: z.string().nullable(),
  })
  .meta({ id: 'Vehicle' });

const vehicleBody = z.object({
  vin: z.string().trim().max(40).nullable().optional(),
  plate: z.string().trim().min(5).max(20),
  vehicleModelId: id('vm'),
  year: z.number().int().min(1980).max(2100).nullable().optional(),
  color: text(20).nullable().optional(),
  odometerKm: z.number().int().min(0).max(3_000_000).nullable().optional(),
  nickname: text(40).nullable().optional(),
});

export const customersRoutes: ModuleRoutes = (app, ctx) => {
  const view = async (vs: VehicleRow[], ex: Executor = ctx.db) => {
    const cat = await catalogSnapshot(ctx.db, ex);
    return vs.map((v) => {
      const m = cat.models.get(v.vehicleModelId);
      return {
        id: v.id,
        vin: v.vin,
        plate: v.plate,
        plateKind: v.plateKind,
        vehicleModelId: v.vehicleModelId,
        modelName: m ? `${m.makeZh} ${m.modelZh}` : v.vehicleModelId,
        powertrain: m?.powertrain ?? 'ICE',
        year: v.year,
        color: v.color,
        odometerKm: v.odometerKm,
        nickname: v.nickname,
      };
    });
  };

  app.get('/me/vehicles', {
    config: { access: 'owner:self' },
    schema: {
      tags: ['customers'],
      summary: 'My vehicles',
      response: { 200: z.object({ items: z.array(vehicleView) }) },
    },
    handler: async (req) => ({
      items: await view(await listOwnerVehicles(ctx.db, requireOwner(req.principal).userId)),
    }),
  });

  app.post('/me/vehicles', {
    config: { access: 'owner:self' },
    schema: {
      tags: ['customers'],
      summary: 'Add a vehicle by plate (and VIN, checked with its check digit)',
      body: vehicleBody,
      response: { 201: vehicleView },
    },
    handler: async (req, reply) =>
      idempotent(ctx.db, req, reply, 201, async (tx) => {
        const cat = await catalogSnapshot(ctx.db, tx);
        const v = await addVehicle(
          tx,
          requireOwner(req.principal).userId,
          req.body,
          ctx.clock.now(),
          async (mid) => cat.models.has(mid),
        );
        return (await view([v], tx))[0]!;
      }),
  });

  app.patch('/me/vehicles/:id', {
    config: { access: 'owner:self' },
    schema: {
      tags: ['customers'],
      summary: 'Update my vehicle',
      params: z.object({ id: id('veh') }),
      body: vehicleBody.partial(),
      response: { 200: vehicleView },
    },
    handler: async (req) => {
      const v = await updateVehicle(
        ctx.db,
        requireOwner(req.principal).userId,
        req.params.id,
        req.body,
        ctx.clock.now(),
      );
      return (await view([v]))[0]!;
    },
  });

  app.delete('/me/vehicles/:id', {
    config: { access: 'owner:self' },
    schema: {
      tags: ['customers'],
      summary: 'Remove my vehicle (its service history is kept)',
      params: z.object({ id: id('veh') }),
      response: { 204: z.null() },
    },
    handler: async (req, reply) => {
      await removeVehicle(ctx.db, requireOwner(req.principal).userId, req.params.id, ctx.clock.now());
      return reply.status(204).send(null);
    },
  });

  app.get('/customers/lookup', {
    config: { access: 'customers:read' },
    schema: {
      tags: ['customers'],
      summary:
        'Find a known customer’s vehicle by plate (front desk); phone numbers masked unless your role needs them',
      querystring: z.object({ plate: z.string().trim().min(5).max(20) }),
      response: {
        200: z.object({
          items: z.array(
            vehicleView.extend({
              ownerId: z.string(),
              ownerName: z.string(),
              ownerPhone: z.string().nullable(),
            }),
          ),
        }),
      },
    },
    handler: async (req) => {
      const p = principalOf(req);
      const found = await findVehiclesByPlateForStaff(ctx.db, p, req.query.plate);
      const owners = await getUsersByIds(
        ctx.db,
        found.map((v) => v.ownerId),
      );
      const pii = roleHas(p.role, 'customers:pii');
      const views = await view(found);
      if (found.length) {
        await audit(ctx.db, {
          actor: p,
          action: 'customer.lookup',
          resourceType: 'vehicle',
          resourceId: found[0]!.id,
          purpose: 'check_in',
          requestId: req.id,
          ip: req.ip,
        });
      }
      return {
        items: views.map((v, i) => {
          const o = owners.get(found[i]!.ownerId);
          return {
            ...v,
            ownerId: found[i]!.ownerId,
            ownerName: o?.name ?? '',
            ownerPhone: o?.phone ? (pii ? o.phone : maskPhone(o.phone)) : null,
          };
        }),
      };
    },
  });
};
