/** Work-order routes for the store (front desk, technician at the bay, QC) and the owner. */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { requireOwner, requireStaff } from '../../platform/auth/principal.js';
import { principalOf } from '../../platform/http/guard.js';
import { idempotent } from '../../platform/http/idempotency.js';
import { id, text, type ModuleRoutes } from '../../platform/http/schemas.js';
import { itemCodes } from '../catalog/routes.js';
import { ownerOrStaff, paymentView, recordInStorePayment, toPaymentView } from '../booking/index.js';
import { ownerVehicle } from '../customers/index.js';
import { loadTechnicians } from '../technicians/index.js';
import { WORK_ORDER_STATUSES, workOrders } from './schema.js';
import {
  assignTechnician,
  checkInBooking,
  checkInWalkIn,
  listWorkOrders,
  loadWorkOrder,
  type WorkOrder,
} from './work-orders.js';
import {
  addEstimateItem,
  addPhoto,
  cancelWorkOrder,
  completeStep,
  decideEstimate,
  finishWork,
  handOver,
  openComeback,
  parseApprovalToken,
  qualityCheck,
  readPhoto,
  recordInspection,
  removeEstimateLine,
  review,
  sendEstimate,
  startWork,
} from './flow.js';
import { serviceBook, timelineView, workOrderDetail } from './views.js';

const detailView = z
  .object({
    id: z.string(),
    number: z.string(),
    storeId: z.string(),
    storeName: z.string(),
    bookingId: z.string().nullable(),
    ownerId: z.string(),
    vehicleId: z.string(),
    plate: z.string(),
    vehicleModel: z.string(),
    powertrain: z.string(),
    items: z.array(z.string()),
    status: z.enum(WORK_ORDER_STATUSES),
    nextEvents: z.array(z.string()),
    source: z.string(),
    technicianId: z.string().nullable(),
    technicianName: z.string().nullable(),
    bayId: z.string().nullable(),
    odometerKm: z.number().nullable(),
    fuelLevelPct: z.number().nullable(),
    notes: z.string().nullable(),
    evidence: z.unknown(),
    comebackOf: z.string().nullable(),
    totalFen: z.number(),
    paidFen: z.number(),
    dueFen: z.number(),
    warrantyUntil: z.string().nullable(),
    warrantyKmUntil: z.number().nullable(),
    createdAt: z.string(),
    handedOverAt: z.string().nullable(),
    inspection: z.array(
      z.object({
        id: z.string(),
        code: z.string(),
        nameZh: z.string(),
        nameEn: z.string(),
        result: z.string().nullable(),
        note: z.string().nullable(),
        recommendItem: z.string().nullable(),
        photoIds: z.array(z.string()),
      }),
    ),
    photos: z.array(
      z.object({
        id: z.string(),
        inspectionItemId: z.string().nullable(),
        contentType: z.string(),
        width: z.number().nullable(),
        height: z.number().nullable(),
        createdAt: z.string(),
      }),
    ),
    estimate: z.array(
      z.object({
        id: z.string(),
        kind: z.string(),
        itemCode: z.string(),
        partTypeCode: z.string().nullable(),
        description: z.string(),
        qtyMilli: z.number(),
        unitPriceFen: z.number(),
        amountFen: z.number(),
        recommended: z.boolean(),
        approval: z.string(),
      }),
    ),
    steps: z.array(
      z.object({
        id: z.string(),
        itemCode: z.string(),
        stepCode: z.string(),
        zh: z.string(),
        en: z.string(),
        standardMinutes: z.number(),
        doneAt: z.string().nullable(),
        minutes: z.number().nullable(),
      }),
    ),
    qc: z.array(z.object({ passed: z.boolean(), notes: z.string().nullable(), at: z.string() })),
    payments: z.array(paymentView),
  })
  .meta({ id: 'WorkOrder' });

const summaryView = z.object({
  id: z.string(),
  number: z.string(),
  storeId: z.string(),
  plate: z.string(),
  items: z.array(z.string()),
  status: z.enum(WORK_ORDER_STATUSES),
  technicianId: z.string().nullable(),
  bayId: z.string().nullable(),
  totalFen: z.number(),
  createdAt: z.string(),
});
const toSummary = (w: WorkOrder) => ({
  id: w.id,
  number: w.number,
  storeId: w.storeId,
  plate: w.plate,
  items: w.items,
  status: w.status,
  technicianId: w.technicianId,
  bayId: w.bayId,
  totalFen: w.totalFen,
  createdAt: w.createdAt.toISOString(),
});

const decisions = z.array(z.object({ lineId: id('el'), approve: z.boolean() })).max(200);
const woParams = z.object({ id: id('wo') });

export const workOrderRoutes: ModuleRoutes = (app, ctx) => {
  const detail = async (w: WorkOrder) => workOrderDetail(ctx.db, ctx.db, w);
  const tx = <T>(fn: Parameters<typeof ctx.db.transaction<T>>[0]) => ctx.db.transaction(fn);

  app.get('/work-orders', {
    config: { access: 'workorders:read' },
    schema: {
      tags: ['workorders'],
      summary: 'Work orders in your scope (newest first)',
      querystring: z.object({
        storeId: id('st').optional(),
        status: z.enum(WORK_ORDER_STATUSES).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      response: { 200: z.object({ items: z.array(summaryView) }) },
    },
    handler: async (req) => ({
      items: (await listWorkOrders(ctx.db, principalOf(req), req.query)).map(toSummary),
    }),
  });

  app.get('/me/work-orders', {
    config: { access: 'owner:self' },
    schema: {
      tags: ['workorders'],
      summary: 'My work orders',
      response: { 200: z.object({ items: z.array(summaryView) }) },
    },
    handler: async (req) => ({
      items: (await listWorkOrders(ctx.db, requireOwner(req.principal), { limit: 100 })).map(toSummary),
    }),
  });

  app.get('/me/jobs', {
    config: { access: 'workorders:work' },
    schema: {
      tags: ['workorders'],
      summary: 'A technician’s jobs (open work orders assigned to me)',
      response: { 200: z.object({ items: z.array(summaryView) }) },
    },
    handler: async (req) => {
      const p = requireStaff(principalOf(req));
      const techs = (await loadTechnicians(ctx.db, { activeOnly: true }))
        .filter((t) => t.userId === p.userId)
        .map((t) => t.id);
      const rows = await listWorkOrders(ctx.db, p, { technicianIds: techs, limit: 100 });
      return {
        items: rows
          .filter((w) => !['handed_over', 'reviewed', 'cancelled'].includes(w.status))
          .map(toSummary),
      };
    },
  });

  app.get('/work-orders/:id', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['workorders'],
      summary: 'A work order: inspection, estimate, steps, QC, payments',
      params: woParams,
      response: { 200: detailView },
    },
    handler: async (req) =>
      detail(await loadWorkOrder(ctx.db, ownerOrStaff(principalOf(req), 'workorders:read'), req.params.id)),
  });

  app.get('/work-orders/:id/timeline', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['workorders'],
      summary: 'Every node of the work order with time and actor',
      params: woParams,
      response: {
        200: z.object({
          items: z.array(
            z.object({
              at: z.string(),
              event: z.string(),
              from: z.string().nullable(),
              to: z.string().nullable(),
              actorRole: z.string().nullable(),
              actorName: z.string().nullable(),
              data: z.unknown(),
            }),
          ),
        }),
      },
    },
    handler: async (req) => {
      const wo = await loadWorkOrder(
        ctx.db,
        ownerOrStaff(principalOf(req), 'workorders:read'),
        req.params.id,
      );
      return { items: await timelineView(ctx.db, wo.id) };
    },
  });

  app.post('/work-orders/check-in', {
    config: { access: 'workorders:write' },
    schema: {
      tags: ['workorders'],
      summary: 'Check in a confirmed booking: odometer and fuel/charge level recorded, work order opened',
      body: z.object({
        bookingId: id('bk'),
        odometerKm: z.number().int().min(0).max(3_000_000),
        fuelLevelPct: z.number().int().min(0).max(100),
        notes: text(500).optional(),
      }),
      response: { 201: detailView },
    },
    handler: async (req, reply) =>
      idempotent(ctx.db, req, reply, 201, async (t) =>
        workOrderDetail(
          ctx.db,
          t,
          await checkInBooking(ctx, t, principalOf(req), req.body.bookingId, req.body),
        ),
      ),
  });

  app.post('/work-orders/walk-in', {
    config: { access: 'workorders:write' },
    schema: {
      tags: ['workorders'],
      summary: 'Check in a walk-in by plate and phone (registers the customer and vehicle when new)',
      body: z.object({
        storeId: id('st'),
        plate: z.string().trim().min(5).max(20),
        phone: z.string().trim().min(5).max(32),
        name: text(50).optional(),
        vehicleModelId: id('vm').optional(),
        items: itemCodes,
        odometerKm: z.number().int().min(0).max(3_000_000),
        fuelLevelPct: z.number().int().min(0).max(100),
        notes: text(500).optional(),
      }),
      response: { 201: detailView },
    },
    handler: async (req, reply) =>
      idempotent(ctx.db, req, reply, 201, async (t) =>
        workOrderDetail(ctx.db, t, await checkInWalkIn(ctx, t, principalOf(req), req.body)),
      ),
  });

  app.post('/work-orders/:id/assign', {
    config: { access: 'workorders:write' },
    schema: {
      tags: ['workorders'],
      summary: 'Assign a technician (and bay)',
      params: woParams,
      body: z.object({ technicianId: id('tc'), bayId: id('bay').optional() }),
      response: { 200: detailView },
    },
    handler: async (req) =>
      detail(await tx((t) => assignTechnician(ctx, t, principalOf(req), req.params.id, req.body))),
  });

  app.put('/work-orders/:id/inspection/:itemId', {
    config: { access: 'workorders:work' },
    schema: {
      tags: ['workorders'],
      summary: 'Record an inspection point: green / yellow / red with a note',
      params: z.object({ id: id('wo'), itemId: id('ii') }),
      body: z.object({ result: z.enum(['green', 'yellow', 'red']), note: text(500).optional() }),
      response: { 200: detailView },
    },
    handler: async (req) => {
      const wo = await tx((t) =>
        recordInspection(ctx, t, principalOf(req), req.params.id, req.params.itemId, req.body),
      );
      return detail(await loadWorkOrder(ctx.db, principalOf(req), wo.id));
    },
  });

  app.post('/work-orders/:id/photos', {
    config: { access: 'workorders:work' },
    schema: {
      tags: ['workorders'],
      summary:
        'Upload an inspection photo (multipart field "file"; optional field "inspectionItemId"); JPEG, PNG or WebP, stripped of EXIF/GPS',
      params: woParams,
      consumes: ['multipart/form-data'],
      response: {
        201: z.object({
          id: z.string(),
          contentType: z.string(),
          bytes: z.number(),
          width: z.number().nullable(),
          height: z.number().nullable(),
        }),
      },
    },
    handler: async (req, reply) => {
      if (!req.isMultipart())
        throw new AppError(
          'request.not_multipart',
          'unsupported_media_type',
          'Send the photo as multipart/form-data with a "file" field',
        );
      let data: Buffer | undefined;
      let inspectionItemId: string | undefined;
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          if (data) throw new AppError('photo.one_file', 'validation', 'Send one photo per request');
          data = await part.toBuffer();
        } else if (part.fieldname === 'inspectionItemId' && typeof part.value === 'string' && part.value) {
          if (!/^ii_[0-9a-hjkmnp-tv-z]{26}$/.test(part.value))
            throw new AppError('request.validation', 'validation', 'inspectionItemId is not a valid id');
          inspectionItemId = part.value;
        }
      }
      if (!data)
        throw new AppError('photo.missing', 'validation', 'No file was sent; use the field name "file"');
      const ph = await tx((t) =>
        addPhoto(ctx, t, principalOf(req), req.params.id, { data: data!, inspectionItemId }),
      );
      return reply.status(201).send({
        id: ph.id,
        contentType: ph.contentType,
        bytes: ph.bytes,
        width: ph.width,
        height: ph.height,
      });
    },
  });

  app.get('/work-orders/:id/photos/:photoId', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['workorders'],
      summary: 'An inspection photo',
      params: z.object({ id: id('wo'), photoId: id('ph') }),
    },
    handler: async (req, reply) => {
      const blob = await readPhoto(
        ctx,
        ownerOrStaff(principalOf(req), 'workorders:read'),
        req.params.id,
        req.params.photoId,
      );
      return reply.type(blob.contentType).header('cache-control', 'private, max-age=3600').send(blob.data);
    },
  });

  app.post('/work-orders/:id/estimate-lines', {
    config: { access: 'workorders:write' },
    schema: {
      tags: ['workorders'],
      summary: 'Add extra work to the estimate: a catalog item (quoted at this store) or a custom line',
      params: woParams,
      body: z
        .object({
          itemCode: z.string().min(1).max(64).optional(),
          custom: z
            .object({
              kind: z.enum(['labour', 'part']),
              description: text(200),
              qtyMilli: z.number().int().min(1).max(1_000_000),
              unitPriceFen: z.number().int().min(0).max(100_000_000),
            })
            .optional(),
        })
        .refine((b) => !!b.itemCode !== !!b.custom, 'give exactly one of itemCode or custom'),
      response: { 200: detailView },
    },
    handler: async (req) => {
      await tx((t) => addEstimateItem(ctx, t, principalOf(req), req.params.id, req.body));
      return detail(await loadWorkOrder(ctx.db, principalOf(req), req.params.id));
    },
  });

  app.delete('/work-orders/:id/estimate-lines/:lineId', {
    config: { access: 'workorders:write' },
    schema: {
      tags: ['workorders'],
      summary: 'Remove a pending estimate line',
      params: z.object({ id: id('wo'), lineId: id('el') }),
      response: { 200: detailView },
    },
    handler: async (req) => {
      await tx((t) => removeEstimateLine(ctx, t, principalOf(req), req.params.id, req.params.lineId));
      return detail(await loadWorkOrder(ctx.db, principalOf(req), req.params.id));
    },
  });

  app.post('/work-orders/:id/send-estimate', {
    config: { access: 'workorders:write' },
    schema: {
      tags: ['workorders'],
      summary: 'Send the estimate to the owner for approval (a signed link by SMS and in-app)',
      params: woParams,
      response: { 200: z.object({ approvalUrl: z.string(), workOrder: detailView }) },
    },
    handler: async (req) => {
      const r = await tx((t) => sendEstimate(ctx, t, principalOf(req), req.params.id));
      return { approvalUrl: r.approvalUrl, workOrder: await detail(r.workOrder) };
    },
  });

  const approvalView = z.object({
    workOrderId: z.string(),
    number: z.string(),
    storeName: z.string(),
    plate: z.string(),
    status: z.string(),
    lines: detailView.shape.estimate,
    inspection: detailView.shape.inspection,
    totalFen: z.number(),
  });
  const approvalOf = async (token: string) => {
    const { woId, version } = parseApprovalToken(ctx, token);
    const [wo] = await ctx.db.select().from(workOrders).where(eq(workOrders.id, woId));
    if (!wo || wo.approvalVersion !== version)
      throw new AppError(
        'approval.superseded',
        'not_found',
        'A newer estimate was sent; open the latest link',
      );
    return wo;
  };

  app.get('/approvals/:token', {
    config: { access: 'public' },
    schema: {
      tags: ['workorders'],
      summary: 'The estimate behind a signed approval link',
      params: z.object({ token: z.string().min(20).max(200) }),
      response: { 200: approvalView },
    },
    handler: async (req) => {
      const wo = await approvalOf(req.params.token);
      const d = await detail(wo);
      return {
        workOrderId: d.id,
        number: d.number,
        storeName: d.storeName,
        plate: d.plate,
        status: d.status,
        lines: d.estimate,
        inspection: d.inspection,
        totalFen: d.totalFen,
      };
    },
  });

  app.post('/approvals/:token', {
    config: { access: 'public' },
    schema: {
      tags: ['workorders'],
      summary: 'Approve or decline each pending estimate line through the signed link',
      params: z.object({ token: z.string().min(20).max(200) }),
      body: z.object({ decisions }),
      response: { 200: detailView },
    },
    handler: async (req) => {
      const wo = await approvalOf(req.params.token);
      const next = await tx(async (t) => {
        const [locked] = await t.select().from(workOrders).where(eq(workOrders.id, wo.id)).for('update');
        return decideEstimate(ctx, t, locked!, req.body.decisions, null);
      });
      return detail(next);
    },
  });

  app.post('/work-orders/:id/approval', {
    config: { access: 'owner:self' },
    schema: {
      tags: ['workorders'],
      summary: 'The owner approves or declines each pending line in the app',
      params: woParams,
      body: z.object({ decisions }),
      response: { 200: detailView },
    },
    handler: async (req) => {
      const p = requireOwner(req.principal);
      return detail(
        await tx(async (t) =>
          decideEstimate(ctx, t, await loadWorkOrder(t, p, req.params.id, true), req.body.decisions, p),
        ),
      );
    },
  });

  app.post('/work-orders/:id/steps/:stepId/done', {
    config: { access: 'workorders:work' },
    schema: {
      tags: ['workorders'],
      summary: 'Tick an SOP step (time per step is recorded)',
      params: z.object({ id: id('wo'), stepId: id('sp') }),
      response: { 200: detailView },
    },
    handler: async (req) => {
      await tx((t) => completeStep(ctx, t, principalOf(req), req.params.id, req.params.stepId));
      return detail(await loadWorkOrder(ctx.db, principalOf(req), req.params.id));
    },
  });

  app.post('/work-orders/:id/start', {
    config: { access: 'workorders:work' },
    schema: {
      tags: ['workorders'],
      summary: 'Start the approved work (the first SOP step is timed from here)',
      params: woParams,
      response: { 200: detailView },
    },
    handler: async (req) => detail(await tx((t) => startWork(ctx, t, principalOf(req), req.params.id))),
  });

  app.post('/work-orders/:id/finish', {
    config: { access: 'workorders:work' },
    schema: {
      tags: ['workorders'],
      summary: 'Work done: hand the car to quality check',
      params: woParams,
      response: { 200: detailView },
    },
    handler: async (req) => detail(await tx((t) => finishWork(ctx, t, principalOf(req), req.params.id))),
  });

  app.post('/work-orders/:id/qc', {
    config: { access: 'workorders:write' },
    schema: {
      tags: ['workorders'],
      summary: 'Quality check by a second person: pass → ready (owner told), fail → back to work',
      params: woParams,
      body: z.object({ passed: z.boolean(), notes: text(500).optional() }),
      response: { 200: detailView },
    },
    handler: async (req) =>
      detail(await tx((t) => qualityCheck(ctx, t, principalOf(req), req.params.id, req.body))),
  });

  app.post('/work-orders/:id/payments', {
    config: { access: 'payments:write' },
    schema: {
      tags: ['workorders'],
      summary: 'Record a payment taken in the store for this work order',
      params: woParams,
      body: z.object({
        method: z.enum(['wechat', 'alipay', 'card', 'cash']),
        amountFen: z.number().int().min(1).max(100_000_000),
      }),
      response: { 201: paymentView },
    },
    handler: async (req, reply) =>
      idempotent(ctx.db, req, reply, 201, async (t) => {
        const p = principalOf(req);
        const wo = await loadWorkOrder(t, p, req.params.id);
        return toPaymentView(
          await recordInStorePayment(ctx, t, p, {
            storeId: wo.storeId,
            orgPath: wo.orgPath,
            ownerId: wo.ownerId,
            bookingId: wo.bookingId,
            workOrderId: wo.id,
            method: req.body.method,
            amountFen: req.body.amountFen,
          }),
        );
      }),
  });

  app.post('/work-orders/:id/hand-over', {
    config: { access: 'workorders:write' },
    schema: {
      tags: ['workorders'],
      summary: 'Hand the car over (needs full payment); the warranty starts',
      params: woParams,
      response: { 200: detailView },
    },
    handler: async (req) => detail(await tx((t) => handOver(ctx, t, principalOf(req), req.params.id))),
  });

  app.post('/work-orders/:id/review', {
    config: { access: 'owner:self' },
    schema: {
      tags: ['workorders'],
      summary: 'Review the service: 1–5 stars, tags, text',
      params: woParams,
      body: z.object({
        stars: z.number().int().min(1).max(5),
        tags: z.array(text(20)).max(10).default([]),
        text: text(1000).optional(),
      }),
      response: { 200: detailView },
    },
    handler: async (req) =>
      detail(await tx((t) => review(ctx, t, principalOf(req), req.params.id, req.body))),
  });

  app.post('/work-orders/:id/comeback', {
    config: { access: 'workorders:write' },
    schema: {
      tags: ['workorders'],
      summary: 'Open a comeback (rework under warranty) linked to this work order',
      params: woParams,
      body: z.object({
        odometerKm: z.number().int().min(0).max(3_000_000),
        fuelLevelPct: z.number().int().min(0).max(100),
        notes: text(500),
      }),
      response: { 201: detailView },
    },
    handler: async (req, reply) =>
      idempotent(ctx.db, req, reply, 201, async (t) =>
        workOrderDetail(ctx.db, t, await openComeback(ctx, t, principalOf(req), req.params.id, req.body)),
      ),
  });

  app.post('/work-orders/:id/cancel', {
    config: { access: 'workorders:write' },
    schema: {
      tags: ['workorders'],
      summary: 'Cancel before work starts',
      params: woParams,
      body: z.object({ reason: text(300) }),
      response: { 200: detailView },
    },
    handler: async (req) =>
      detail(await tx((t) => cancelWorkOrder(ctx, t, principalOf(req), req.params.id, req.body.reason))),
  });

  app.get('/me/vehicles/:id/service-book', {
    config: { access: 'owner:self' },
    schema: {
      tags: ['workorders'],
      summary: 'The service book of my vehicle: all finished work, parts and warranty',
      params: z.object({ id: id('veh') }),
      response: {
        200: z.object({
          vehicleId: z.string(),
          plate: z.string(),
          entries: z.array(
            z.object({
              workOrderId: z.string(),
              number: z.string(),
              at: z.string(),
              storeId: z.string(),
              storeName: z.string(),
              odometerKm: z.number().nullable(),
              items: z.array(z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string() })),
              parts: z.array(
                z.object({
                  lineId: z.string(),
                  partTypeCode: z.string().nullable(),
                  description: z.string(),
                  qtyMilli: z.number(),
                  /** Trace codes scanned onto this line at consumption (inventory). */
                  traced: z.array(
                    z.object({
                      code: z.string(),
                      sku: z.string(),
                      brand: z.string(),
                      name: z.string(),
                      batch: z.string().nullable(),
                      serial: z.string().nullable(),
                      dotWeek: z.string().nullable(),
                    }),
                  ),
                }),
              ),
              totalFen: z.number(),
              warrantyUntil: z.string().nullable(),
              warrantyKmUntil: z.number().nullable(),
              comebackOf: z.string().nullable(),
            }),
          ),
        }),
      },
    },
    handler: async (req) => {
      const p = requireOwner(req.principal);
      const v = await ownerVehicle(ctx.db, p.userId, req.params.id);
      return { vehicleId: v.id, plate: v.plate, entries: await serviceBook(ctx.db, ctx.db, v.id) };
    },
  });
};
