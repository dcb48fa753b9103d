/** Catalog routes: public reads (items, vehicle models, part types, quotes) and price management. */
import { eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { requireStaff } from '../../platform/auth/principal.js';
import { principalOf } from '../../platform/http/guard.js';
import { id, text, type ModuleRoutes } from '../../platform/http/schemas.js';
import { getOrg, getOrgRaw } from '../identity/index.js';
import { catalogSnapshot, invalidateCatalogCache, priceBookFor } from './catalog-data.js';
import { quoteFor } from './quote-for.js';
import { partTypePrices, partTypes, priceLists, serviceItems } from './schema.js';

const bayTypes = ['general_lift', 'alignment', 'tyre', 'nev_safe', 'quick'] as const;
const powertrains = ['ICE', 'HEV', 'PHEV', 'BEV'] as const;

export const itemView = z
  .object({
    code: z.string(),
    nameZh: z.string(),
    nameEn: z.string(),
    category: z.string(),
    labourMinutes: z.number(),
    skills: z.array(z.string()),
    certifications: z.array(z.string()),
    bayType: z.enum(bayTypes),
    powertrains: z.array(z.enum(powertrains)),
    sopSteps: z.array(z.object({ code: z.string(), zh: z.string(), en: z.string(), minutes: z.number() })),
    warrantyMonths: z.number(),
    warrantyKm: z.number(),
    packageItems: z.array(z.string()),
    packageDiscountBp: z.number(),
    active: z.boolean(),
    parts: z.array(
      z.object({ partTypeCode: z.string(), qtyMilli: z.number(), perVehicle: z.string().nullable() }),
    ),
  })
  .meta({ id: 'ServiceItem' });

export const quoteLineView = z.object({
  kind: z.enum(['labour', 'part', 'discount']),
  itemCode: z.string(),
  partTypeCode: z.string().optional(),
  sku: z.string().optional(),
  description: z.string(),
  descriptionEn: z.string(),
  qtyMilli: z.number(),
  unitPriceFen: z.number(),
  amountFen: z.number(),
});

export const quoteView = z
  .object({
    vehicleModelId: z.string(),
    items: z.array(
      z.object({
        code: z.string(),
        nameZh: z.string(),
        nameEn: z.string(),
        labourMinutes: z.number(),
        amountFen: z.number(),
      }),
    ),
    lines: z.array(quoteLineView),
    labourFen: z.number(),
    partsFen: z.number(),
    discountFen: z.number(),
    totalFen: z.number(),
    durationMinutes: z.number(),
    bayType: z.enum(bayTypes),
    skills: z.array(z.string()),
    certifications: z.array(z.string()),
    warrantyMonths: z.number(),
    warrantyKm: z.number(),
  })
  .meta({ id: 'Quote' });

const modelView = z
  .object({
    id: z.string(),
    make: z.string(),
    makeZh: z.string(),
    model: z.string(),
    modelZh: z.string(),
    yearFrom: z.number(),
    yearTo: z.number(),
    powertrain: z.enum(powertrains),
    engine: z.string().nullable(),
    oilCapacityMl: z.number(),
    oilSpec: z.string().nullable(),
    tyreSize: z.string(),
    batteryKwh: z.number().nullable(),
    tier: z.enum(['economy', 'mid', 'premium']),
  })
  .meta({ id: 'VehicleModel' });

export const itemCodes = z.array(z.string().min(1).max(64)).min(1).max(20);

export const catalogRoutes: ModuleRoutes = (app, ctx) => {
  app.get('/catalog/items', {
    config: { access: 'public' },
    schema: {
      tags: ['catalog'],
      summary: 'Standard service items and packages, with SOP steps and bill of materials',
      querystring: z.object({
        powertrain: z.enum(powertrains).optional(),
        includeInactive: z.coerce.boolean().default(false),
      }),
      response: { 200: z.object({ items: z.array(itemView) }) },
    },
    handler: async (req) => {
      const cat = await catalogSnapshot(ctx.db, ctx.db);
      const items = cat.itemList.filter(
        (i) =>
          (req.query.includeInactive || i.active) &&
          (!req.query.powertrain || i.powertrains.includes(req.query.powertrain)),
      );
      return { items };
    },
  });

  app.get('/catalog/vehicle-models', {
    config: { access: 'public' },
    schema: {
      tags: ['catalog'],
      summary: 'Vehicle models for fitment and prices',
      querystring: z.object({ q: z.string().max(50).optional() }),
      response: { 200: z.object({ items: z.array(modelView) }) },
    },
    handler: async (req) => {
      const cat = await catalogSnapshot(ctx.db, ctx.db);
      const q = req.query.q?.toLowerCase();
      const items = [...cat.models.values()]
        .map((m) => m.modelRow)
        .filter((m) => !q || `${m.make} ${m.makeZh} ${m.model} ${m.modelZh}`.toLowerCase().includes(q));
      return { items };
    },
  });

  app.get('/catalog/part-types', {
    config: { access: 'public' },
    schema: {
      tags: ['catalog'],
      summary: 'Part types used in bills of materials',
      response: {
        200: z.object({
          items: z.array(
            z.object({
              code: z.string(),
              nameZh: z.string(),
              nameEn: z.string(),
              unit: z.string(),
              category: z.string(),
            }),
          ),
        }),
      },
    },
    handler: async () => ({ items: await ctx.db.select().from(partTypes) }),
  });

  app.post('/catalog/quote', {
    config: { access: 'public' },
    schema: {
      tags: ['catalog'],
      summary: 'Transparent price for items on a vehicle model at a store: labour + parts in fen',
      body: z.object({ storeId: id('st'), vehicleModelId: id('vm'), items: itemCodes }),
      response: { 200: quoteView },
    },
    handler: async (req) => {
      const org = await getOrgRaw(ctx.db, req.body.storeId);
      if (!org || org.kind !== 'store' || org.status !== 'active')
        throw new AppError('store.not_found', 'not_found', `No store with id ${req.body.storeId}`);
      return quoteFor(ctx.db, ctx.db, {
        storeOrgPath: org.path,
        vehicleModelId: req.body.vehicleModelId,
        items: req.body.items,
      });
    },
  });

  app.get('/catalog/prices/:orgId', {
    config: { access: 'catalog:read' },
    schema: {
      tags: ['catalog'],
      summary: 'The price book in force for an org (its own settings or inherited from above)',
      params: z.object({ orgId: id() }),
      response: {
        200: z.object({
          orgId: z.string(),
          labourRateFenPerHour: z.number(),
          partPrices: z.record(z.string(), z.number()),
          ownSettings: z.object({
            labourRateFenPerHour: z.number().nullable(),
            partPrices: z.record(z.string(), z.number()),
          }),
        }),
      },
    },
    handler: async (req) => {
      const org = await getOrg(ctx.db, principalOf(req), req.params.orgId);
      const book = await priceBookFor(ctx.db, ctx.db, org.path, { fresh: true });
      const [own] = await ctx.db.select().from(priceLists).where(eq(priceLists.orgId, org.id));
      const ownParts = await ctx.db.select().from(partTypePrices).where(eq(partTypePrices.orgId, org.id));
      return {
        orgId: org.id,
        labourRateFenPerHour: book.labourRateFenPerHour,
        partPrices: Object.fromEntries(book.partPrices),
        ownSettings: {
          labourRateFenPerHour: own?.labourRateFenPerHour ?? null,
          partPrices: Object.fromEntries(ownParts.map((p) => [p.partTypeCode, p.unitPriceFen])),
        },
      };
    },
  });

  app.put('/catalog/prices/:orgId', {
    config: { access: 'catalog:write' },
    schema: {
      tags: ['catalog'],
      summary:
        'Set a labour rate and part-type prices for a chain, franchisee or store (overrides what it inherits)',
      params: z.object({ orgId: id() }),
      body: z.object({
        labourRateFenPerHour: z.number().int().min(0).max(10_000_000).optional(),
        partPrices: z.record(z.string().max(64), z.number().int().min(0).max(100_000_000)).optional(),
      }),
      response: { 204: z.null() },
    },
    handler: async (req, reply) => {
      const p = principalOf(req);
      await ctx.db.transaction(async (tx) => {
        const org = await getOrg(tx, p, req.params.orgId);
        if (org.kind === 'platform' && requireStaff(p).role !== 'platform_operator') {
          throw new AppError(
            'catalog.platform_prices',
            'forbidden',
            'Only the platform operator sets platform default prices',
          );
        }
        const codes = Object.keys(req.body.partPrices ?? {});
        if (codes.length) {
          const known = await tx
            .select({ code: partTypes.code })
            .from(partTypes)
            .where(inArray(partTypes.code, codes));
          const unknown = codes.filter((c) => !known.some((k) => k.code === c));
          if (unknown.length)
            throw new AppError(
              'catalog.unknown_part_type',
              'validation',
              `Unknown part types: ${unknown.join(', ')}`,
            );
        }
        if (req.body.labourRateFenPerHour !== undefined) {
          const v = {
            orgId: org.id,
            orgPath: org.path,
            labourRateFenPerHour: req.body.labourRateFenPerHour,
            updatedAt: ctx.clock.now(),
          };
          await tx.insert(priceLists).values(v).onConflictDoUpdate({ target: priceLists.orgId, set: v });
        }
        for (const [code, fen] of Object.entries(req.body.partPrices ?? {})) {
          const v = { orgId: org.id, orgPath: org.path, partTypeCode: code, unitPriceFen: fen };
          await tx
            .insert(partTypePrices)
            .values(v)
            .onConflictDoUpdate({ target: [partTypePrices.orgId, partTypePrices.partTypeCode], set: v });
        }
      });
      invalidateCatalogCache(ctx.db);
      return reply.status(204).send(null);
    },
  });

  app.patch('/catalog/items/:code', {
    config: { access: 'catalog:write' },
    schema: {
      tags: ['catalog'],
      summary: 'Edit a standard item (platform operator): names, labour minutes, active',
      params: z.object({ code: z.string().min(1).max(64) }),
      body: z.object({
        nameZh: text(100).optional(),
        nameEn: text(100).optional(),
        labourMinutes: z
          .number()
          .int()
          .min(0)
          .max(24 * 60)
          .optional(),
        active: z.boolean().optional(),
      }),
      response: { 200: itemView },
    },
    handler: async (req) => {
      if (requireStaff(principalOf(req)).role !== 'platform_operator') {
        throw new AppError(
          'catalog.operator_only',
          'forbidden',
          'Only the platform operator edits standard items',
        );
      }
      const rows = await ctx.db
        .update(serviceItems)
        .set(req.body)
        .where(eq(serviceItems.code, req.params.code))
        .returning();
      if (!rows.length)
        throw new AppError('catalog.unknown_item', 'not_found', `No service item ${req.params.code}`);
      invalidateCatalogCache(ctx.db);
      return (await catalogSnapshot(ctx.db, ctx.db)).items.get(req.params.code)!;
    },
  });
};
