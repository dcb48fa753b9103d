CREATE TABLE "inv_balances" (
	"part_id" text NOT NULL,
	"location_id" text NOT NULL,
	"org_path" text NOT NULL,
	"bin" text,
	"on_hand_milli" integer DEFAULT 0 NOT NULL,
	"reserved_milli" integer DEFAULT 0 NOT NULL,
	"reorder_point_milli" integer,
	"order_up_to_milli" integer,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "inv_balances_part_id_location_id_pk" PRIMARY KEY("part_id","location_id"),
	CONSTRAINT "inv_balances_on_hand_nonneg" CHECK ("inv_balances"."on_hand_milli" >= 0),
	CONSTRAINT "inv_balances_reserved_nonneg" CHECK ("inv_balances"."reserved_milli" >= 0),
	CONSTRAINT "inv_balances_reserved_le_on_hand" CHECK ("inv_balances"."reserved_milli" <= "inv_balances"."on_hand_milli")
);
--> statement-breakpoint
CREATE TABLE "inv_demand" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_path" text NOT NULL,
	"location_id" text NOT NULL,
	"part_id" text,
	"part_type_code" text,
	"requested_milli" integer NOT NULL,
	"filled_milli" integer NOT NULL,
	"ref_type" text NOT NULL,
	"ref_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inv_locations" (
	"id" text PRIMARY KEY NOT NULL,
	"org_path" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"store_id" text,
	"bins" text[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inv_movements" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_path" text NOT NULL,
	"part_id" text NOT NULL,
	"location_id" text NOT NULL,
	"kind" text NOT NULL,
	"on_hand_delta_milli" integer NOT NULL,
	"reserved_delta_milli" integer NOT NULL,
	"unit_cost_fen" integer NOT NULL,
	"ref_type" text,
	"ref_id" text,
	"work_order_line_id" text,
	"trace_code" text,
	"batch" text,
	"actor_id" text,
	"note" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inv_parts" (
	"id" text PRIMARY KEY NOT NULL,
	"org_path" text NOT NULL,
	"sku" text NOT NULL,
	"name" text NOT NULL,
	"brand" text NOT NULL,
	"oe_numbers" text[] DEFAULT '{}' NOT NULL,
	"category" text NOT NULL,
	"part_type_code" text NOT NULL,
	"fitment" text[] DEFAULT '{}' NOT NULL,
	"unit" text NOT NULL,
	"cost_fen" integer NOT NULL,
	"price_fen" integer NOT NULL,
	"powertrain" text NOT NULL,
	"shelf_life_days" integer,
	"traced" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inv_purchase_orders" (
	"id" text PRIMARY KEY NOT NULL,
	"org_path" text NOT NULL,
	"location_id" text NOT NULL,
	"supplier" text NOT NULL,
	"status" text NOT NULL,
	"lines" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"received_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "inv_reservations" (
	"id" text PRIMARY KEY NOT NULL,
	"org_path" text NOT NULL,
	"part_id" text NOT NULL,
	"location_id" text NOT NULL,
	"qty_milli" integer NOT NULL,
	"open_milli" integer NOT NULL,
	"status" text NOT NULL,
	"booking_id" text,
	"work_order_id" text,
	"part_type_code" text,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "inv_reservations_open_range" CHECK ("inv_reservations"."open_milli" >= 0 and "inv_reservations"."open_milli" <= "inv_reservations"."qty_milli")
);
--> statement-breakpoint
CREATE TABLE "inv_scans" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_path" text NOT NULL,
	"code" text NOT NULL,
	"result" text NOT NULL,
	"work_order_id" text,
	"actor_id" text,
	"details" jsonb,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inv_stocktakes" (
	"id" text PRIMARY KEY NOT NULL,
	"org_path" text NOT NULL,
	"location_id" text NOT NULL,
	"status" text NOT NULL,
	"lines" jsonb NOT NULL,
	"counted_by" text NOT NULL,
	"counted_at" timestamp with time zone NOT NULL,
	"approved_by" text,
	"approved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "inv_trace_units" (
	"code" text PRIMARY KEY NOT NULL,
	"org_path" text NOT NULL,
	"part_id" text NOT NULL,
	"location_id" text,
	"batch" text,
	"serial" text,
	"dot_week" text,
	"expires_on" text,
	"status" text NOT NULL,
	"transfer_id" text,
	"received_at" timestamp with time zone NOT NULL,
	"receipt_ref" text,
	"consumed_at" timestamp with time zone,
	"work_order_id" text,
	"work_order_line_id" text,
	"vehicle_id" text,
	"consumed_by" text
);
--> statement-breakpoint
CREATE TABLE "inv_transfers" (
	"id" text PRIMARY KEY NOT NULL,
	"org_path" text NOT NULL,
	"from_location_id" text NOT NULL,
	"to_location_id" text NOT NULL,
	"from_org_path" text NOT NULL,
	"to_org_path" text NOT NULL,
	"status" text NOT NULL,
	"lines" jsonb NOT NULL,
	"shipped_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone,
	"note" text
);
--> statement-breakpoint
CREATE INDEX "inv_balances_location_idx" ON "inv_balances" USING btree ("location_id");--> statement-breakpoint
CREATE INDEX "inv_demand_location_idx" ON "inv_demand" USING btree ("location_id","at");--> statement-breakpoint
CREATE INDEX "inv_locations_org_idx" ON "inv_locations" USING btree ("org_path");--> statement-breakpoint
CREATE INDEX "inv_locations_store_idx" ON "inv_locations" USING btree ("store_id");--> statement-breakpoint
CREATE INDEX "inv_movements_part_idx" ON "inv_movements" USING btree ("part_id","location_id","id");--> statement-breakpoint
CREATE INDEX "inv_movements_ref_idx" ON "inv_movements" USING btree ("ref_type","ref_id");--> statement-breakpoint
CREATE INDEX "inv_movements_location_at_idx" ON "inv_movements" USING btree ("location_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "inv_parts_sku_idx" ON "inv_parts" USING btree ("org_path","sku");--> statement-breakpoint
CREATE INDEX "inv_parts_type_idx" ON "inv_parts" USING btree ("part_type_code");--> statement-breakpoint
CREATE INDEX "inv_pos_location_idx" ON "inv_purchase_orders" USING btree ("location_id","created_at");--> statement-breakpoint
CREATE INDEX "inv_reservations_booking_idx" ON "inv_reservations" USING btree ("booking_id");--> statement-breakpoint
CREATE INDEX "inv_reservations_wo_idx" ON "inv_reservations" USING btree ("work_order_id");--> statement-breakpoint
CREATE INDEX "inv_reservations_expiry_idx" ON "inv_reservations" USING btree ("status","expires_at");--> statement-breakpoint
CREATE INDEX "inv_scans_org_idx" ON "inv_scans" USING btree ("org_path","id");--> statement-breakpoint
CREATE INDEX "inv_scans_code_idx" ON "inv_scans" USING btree ("code");--> statement-breakpoint
CREATE INDEX "inv_stocktakes_location_idx" ON "inv_stocktakes" USING btree ("location_id");--> statement-breakpoint
CREATE INDEX "inv_trace_units_part_idx" ON "inv_trace_units" USING btree ("part_id","location_id","status");--> statement-breakpoint
CREATE INDEX "inv_trace_units_wo_idx" ON "inv_trace_units" USING btree ("work_order_id");--> statement-breakpoint
CREATE INDEX "inv_trace_units_line_idx" ON "inv_trace_units" USING btree ("work_order_line_id");--> statement-breakpoint
CREATE INDEX "inv_transfers_to_idx" ON "inv_transfers" USING btree ("to_location_id");--> statement-breakpoint
CREATE INDEX "inv_transfers_from_idx" ON "inv_transfers" USING btree ("from_location_id");