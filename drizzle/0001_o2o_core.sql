CREATE TABLE "booking_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"booking_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" text,
	"actor_role" text,
	"from_status" text,
	"to_status" text NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "bookings" (
	"id" text PRIMARY KEY NOT NULL,
	"store_id" text NOT NULL,
	"org_path" text NOT NULL,
	"owner_id" text NOT NULL,
	"vehicle_id" text NOT NULL,
	"items" text[] NOT NULL,
	"status" text NOT NULL,
	"source" text NOT NULL,
	"start_at" timestamp with time zone NOT NULL,
	"end_at" timestamp with time zone NOT NULL,
	"bay_id" text NOT NULL,
	"technician_id" text NOT NULL,
	"hold_expires_at" timestamp with time zone,
	"quote" jsonb NOT NULL,
	"total_fen" integer NOT NULL,
	"notes" text,
	"proposal_ref" text,
	"created_at" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"reminder_sent_at" timestamp with time zone,
	"work_order_id" text
);
--> statement-breakpoint
CREATE TABLE "door_to_door_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"store_id" text NOT NULL,
	"org_path" text NOT NULL,
	"owner_id" text NOT NULL,
	"vehicle_id" text NOT NULL,
	"kind" text NOT NULL,
	"items" text[] NOT NULL,
	"address" text NOT NULL,
	"lon" real NOT NULL,
	"lat" real NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"arrival_from" timestamp with time zone,
	"arrival_to" timestamp with time zone,
	"assignee" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "funnel_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"owner_id" text,
	"store_id" text,
	"items" text[],
	"result_count" integer,
	"booking_id" text
);
--> statement-breakpoint
CREATE TABLE "invoice_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"payment_id" text NOT NULL,
	"org_path" text NOT NULL,
	"owner_id" text,
	"buyer_kind" text NOT NULL,
	"buyer_name" text NOT NULL,
	"tax_id" text,
	"address" text,
	"phone" text,
	"bank_account" text,
	"email" text,
	"amount_fen" integer NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment_callbacks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"nonce" text,
	"received_at" timestamp with time zone NOT NULL,
	"signature_valid" integer NOT NULL,
	"outcome" text NOT NULL,
	"payment_id" text,
	"ip" text
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" text PRIMARY KEY NOT NULL,
	"store_id" text NOT NULL,
	"org_path" text NOT NULL,
	"owner_id" text,
	"booking_id" text,
	"work_order_id" text,
	"kind" text NOT NULL,
	"method" text NOT NULL,
	"provider" text NOT NULL,
	"provider_ref" text,
	"amount_fen" integer NOT NULL,
	"refunded_fen" integer DEFAULT 0 NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"paid_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "refunds" (
	"id" text PRIMARY KEY NOT NULL,
	"payment_id" text NOT NULL,
	"org_path" text NOT NULL,
	"amount_fen" integer NOT NULL,
	"reason" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "slot_claims" (
	"resource_id" text NOT NULL,
	"cell_start" timestamp with time zone NOT NULL,
	"booking_id" text NOT NULL,
	"expires_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "part_type_prices" (
	"org_id" text NOT NULL,
	"org_path" text NOT NULL,
	"part_type_code" text NOT NULL,
	"unit_price_fen" integer NOT NULL,
	CONSTRAINT "part_type_prices_org_id_part_type_code_pk" PRIMARY KEY("org_id","part_type_code")
);
--> statement-breakpoint
CREATE TABLE "part_types" (
	"code" text PRIMARY KEY NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"unit" text NOT NULL,
	"category" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "price_lists" (
	"org_id" text PRIMARY KEY NOT NULL,
	"org_path" text NOT NULL,
	"labour_rate_fen_per_hour" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_item_parts" (
	"item_code" text NOT NULL,
	"part_type_code" text NOT NULL,
	"qty_milli" integer NOT NULL,
	"per_vehicle" text,
	"powertrains" text[],
	CONSTRAINT "service_item_parts_item_code_part_type_code_pk" PRIMARY KEY("item_code","part_type_code")
);
--> statement-breakpoint
CREATE TABLE "service_items" (
	"code" text PRIMARY KEY NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"category" text NOT NULL,
	"labour_minutes" integer NOT NULL,
	"skills" text[] DEFAULT '{}' NOT NULL,
	"certifications" text[] DEFAULT '{}' NOT NULL,
	"bay_type" text NOT NULL,
	"powertrains" text[] NOT NULL,
	"sop_steps" jsonb NOT NULL,
	"warranty_months" integer DEFAULT 0 NOT NULL,
	"warranty_km" integer DEFAULT 0 NOT NULL,
	"package_items" text[] DEFAULT '{}' NOT NULL,
	"package_discount_bp" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vehicle_models" (
	"id" text PRIMARY KEY NOT NULL,
	"make" text NOT NULL,
	"make_zh" text NOT NULL,
	"model" text NOT NULL,
	"model_zh" text NOT NULL,
	"year_from" integer NOT NULL,
	"year_to" integer NOT NULL,
	"powertrain" text NOT NULL,
	"engine" text,
	"cylinders" integer DEFAULT 0 NOT NULL,
	"oil_capacity_ml" integer DEFAULT 0 NOT NULL,
	"oil_spec" text,
	"tyre_size" text NOT NULL,
	"battery_kwh" integer,
	"tier" text DEFAULT 'mid' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer_links" (
	"owner_id" text NOT NULL,
	"store_id" text NOT NULL,
	"org_path" text NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"visits" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "customer_links_owner_id_store_id_pk" PRIMARY KEY("owner_id","store_id")
);
--> statement-breakpoint
CREATE TABLE "vehicles" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_id" text NOT NULL,
	"vin" text,
	"plate" text NOT NULL,
	"plate_kind" text NOT NULL,
	"vehicle_model_id" text NOT NULL,
	"year" integer,
	"color" text,
	"odometer_km" integer,
	"nickname" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "bays" (
	"id" text PRIMARY KEY NOT NULL,
	"store_id" text NOT NULL,
	"org_path" text NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "public_holidays" (
	"day" date PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"source" text DEFAULT 'chinese-days' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_hour_exceptions" (
	"store_id" text NOT NULL,
	"day" date NOT NULL,
	"closed" boolean NOT NULL,
	"open_min" integer,
	"close_min" integer,
	"note" text,
	CONSTRAINT "store_hour_exceptions_store_id_day_pk" PRIMARY KEY("store_id","day")
);
--> statement-breakpoint
CREATE TABLE "store_hours" (
	"store_id" text NOT NULL,
	"weekday" integer NOT NULL,
	"open_min" integer NOT NULL,
	"close_min" integer NOT NULL,
	CONSTRAINT "store_hours_store_id_weekday_pk" PRIMARY KEY("store_id","weekday")
);
--> statement-breakpoint
CREATE TABLE "stores" (
	"id" text PRIMARY KEY NOT NULL,
	"org_path" text NOT NULL,
	"name" text NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"phone" text,
	"lon" real NOT NULL,
	"lat" real NOT NULL,
	"city" text DEFAULT '' NOT NULL,
	"district" text DEFAULT '' NOT NULL,
	"h3_r7" text NOT NULL,
	"door_to_door_radius_m" integer DEFAULT 0 NOT NULL,
	"capabilities" text[] DEFAULT '{}' NOT NULL,
	"certifications" text[] DEFAULT '{}' NOT NULL,
	"commission_bp" integer DEFAULT 1200 NOT NULL,
	"holiday_mode" text DEFAULT 'weekend' NOT NULL,
	"cancel_cutoff_minutes" integer DEFAULT 120 NOT NULL,
	"rating_avg" real,
	"rating_count" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "technician_certifications" (
	"technician_id" text NOT NULL,
	"code" text NOT NULL,
	"number" text,
	"issued_on" date,
	"expires_on" date,
	CONSTRAINT "technician_certifications_technician_id_code_pk" PRIMARY KEY("technician_id","code")
);
--> statement-breakpoint
CREATE TABLE "technician_shifts" (
	"technician_id" text NOT NULL,
	"weekday" integer NOT NULL,
	"start_min" integer NOT NULL,
	"end_min" integer NOT NULL,
	CONSTRAINT "technician_shifts_technician_id_weekday_pk" PRIMARY KEY("technician_id","weekday")
);
--> statement-breakpoint
CREATE TABLE "technician_time_off" (
	"id" text PRIMARY KEY NOT NULL,
	"technician_id" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "technicians" (
	"id" text PRIMARY KEY NOT NULL,
	"store_id" text NOT NULL,
	"org_path" text NOT NULL,
	"user_id" text,
	"name" text NOT NULL,
	"skills" text[] DEFAULT '{}' NOT NULL,
	"level" integer DEFAULT 1 NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "estimate_lines" (
	"id" text PRIMARY KEY NOT NULL,
	"work_order_id" text NOT NULL,
	"kind" text NOT NULL,
	"item_code" text NOT NULL,
	"part_type_code" text,
	"description" text NOT NULL,
	"qty_milli" integer NOT NULL,
	"unit_price_fen" integer NOT NULL,
	"amount_fen" integer NOT NULL,
	"recommended" boolean DEFAULT false NOT NULL,
	"approval" text NOT NULL,
	"decided_at" timestamp with time zone,
	"follow_up_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "inspection_items" (
	"id" text PRIMARY KEY NOT NULL,
	"work_order_id" text NOT NULL,
	"code" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"result" text,
	"note" text,
	"recommend_item" text,
	"sort" integer NOT NULL,
	"checked_at" timestamp with time zone,
	"checked_by" text
);
--> statement-breakpoint
CREATE TABLE "photos" (
	"id" text PRIMARY KEY NOT NULL,
	"work_order_id" text NOT NULL,
	"inspection_item_id" text,
	"blob_key" text NOT NULL,
	"content_type" text NOT NULL,
	"bytes" integer NOT NULL,
	"width" integer,
	"height" integer,
	"uploaded_by" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "qc_checks" (
	"id" text PRIMARY KEY NOT NULL,
	"work_order_id" text NOT NULL,
	"checked_by" text NOT NULL,
	"passed" boolean NOT NULL,
	"notes" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reviews" (
	"id" text PRIMARY KEY NOT NULL,
	"work_order_id" text NOT NULL,
	"store_id" text NOT NULL,
	"org_path" text NOT NULL,
	"owner_id" text NOT NULL,
	"technician_id" text,
	"stars" integer NOT NULL,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"text" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sop_progress" (
	"id" text PRIMARY KEY NOT NULL,
	"work_order_id" text NOT NULL,
	"item_code" text NOT NULL,
	"step_code" text NOT NULL,
	"step_index" integer NOT NULL,
	"zh" text NOT NULL,
	"en" text NOT NULL,
	"standard_minutes" integer NOT NULL,
	"started_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	"done_by" text
);
--> statement-breakpoint
CREATE TABLE "work_order_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"work_order_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" text,
	"actor_role" text,
	"event" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"data" jsonb
);
--> statement-breakpoint
CREATE TABLE "work_orders" (
	"id" text PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"store_id" text NOT NULL,
	"org_path" text NOT NULL,
	"booking_id" text,
	"owner_id" text NOT NULL,
	"vehicle_id" text NOT NULL,
	"plate" text NOT NULL,
	"vehicle_model_id" text NOT NULL,
	"items" text[] NOT NULL,
	"status" text NOT NULL,
	"source" text NOT NULL,
	"technician_id" text,
	"bay_id" text,
	"odometer_km" integer,
	"fuel_level_pct" integer,
	"notes" text,
	"evidence" jsonb,
	"comeback_of" text,
	"total_fen" integer DEFAULT 0 NOT NULL,
	"paid_fen" integer DEFAULT 0 NOT NULL,
	"approval_version" integer DEFAULT 0 NOT NULL,
	"warranty_until" timestamp with time zone,
	"warranty_km_until" integer,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"handed_over_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "booking_history_booking_idx" ON "booking_history" USING btree ("booking_id","id");--> statement-breakpoint
CREATE INDEX "bookings_store_start_idx" ON "bookings" USING btree ("store_id","start_at");--> statement-breakpoint
CREATE INDEX "bookings_owner_idx" ON "bookings" USING btree ("owner_id","start_at");--> statement-breakpoint
CREATE INDEX "bookings_hold_idx" ON "bookings" USING btree ("status","hold_expires_at");--> statement-breakpoint
CREATE INDEX "d2d_store_idx" ON "door_to_door_requests" USING btree ("store_id","window_start");--> statement-breakpoint
CREATE INDEX "funnel_events_at_idx" ON "funnel_events" USING btree ("at","kind");--> statement-breakpoint
CREATE INDEX "invoice_requests_payment_idx" ON "invoice_requests" USING btree ("payment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_callbacks_nonce_uq" ON "payment_callbacks" USING btree ("provider","nonce");--> statement-breakpoint
CREATE INDEX "payments_store_paid_idx" ON "payments" USING btree ("store_id","paid_at");--> statement-breakpoint
CREATE INDEX "payments_booking_idx" ON "payments" USING btree ("booking_id");--> statement-breakpoint
CREATE INDEX "payments_wo_idx" ON "payments" USING btree ("work_order_id");--> statement-breakpoint
CREATE INDEX "refunds_payment_idx" ON "refunds" USING btree ("payment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "slot_claims_cell_uq" ON "slot_claims" USING btree ("resource_id","cell_start");--> statement-breakpoint
CREATE INDEX "slot_claims_booking_idx" ON "slot_claims" USING btree ("booking_id");--> statement-breakpoint
CREATE INDEX "part_type_prices_path_idx" ON "part_type_prices" USING btree ("org_path");--> statement-breakpoint
CREATE INDEX "customer_links_path_idx" ON "customer_links" USING btree ("org_path");--> statement-breakpoint
CREATE INDEX "vehicles_owner_idx" ON "vehicles" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "vehicles_plate_idx" ON "vehicles" USING btree ("plate");--> statement-breakpoint
CREATE UNIQUE INDEX "vehicles_vin_uq" ON "vehicles" USING btree ("vin");--> statement-breakpoint
CREATE INDEX "bays_store_idx" ON "bays" USING btree ("store_id");--> statement-breakpoint
CREATE INDEX "stores_h3_idx" ON "stores" USING btree ("h3_r7");--> statement-breakpoint
CREATE INDEX "stores_path_idx" ON "stores" USING btree ("org_path");--> statement-breakpoint
CREATE INDEX "technician_time_off_idx" ON "technician_time_off" USING btree ("technician_id","starts_at");--> statement-breakpoint
CREATE INDEX "technicians_store_idx" ON "technicians" USING btree ("store_id");--> statement-breakpoint
CREATE INDEX "technicians_user_idx" ON "technicians" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "estimate_lines_wo_idx" ON "estimate_lines" USING btree ("work_order_id");--> statement-breakpoint
CREATE INDEX "inspection_items_wo_idx" ON "inspection_items" USING btree ("work_order_id");--> statement-breakpoint
CREATE INDEX "photos_wo_idx" ON "photos" USING btree ("work_order_id");--> statement-breakpoint
CREATE INDEX "qc_checks_wo_idx" ON "qc_checks" USING btree ("work_order_id");--> statement-breakpoint
CREATE INDEX "reviews_store_idx" ON "reviews" USING btree ("store_id","at");--> statement-breakpoint
CREATE INDEX "sop_progress_wo_idx" ON "sop_progress" USING btree ("work_order_id","step_index");--> statement-breakpoint
CREATE INDEX "work_order_events_wo_idx" ON "work_order_events" USING btree ("work_order_id","id");--> statement-breakpoint
CREATE INDEX "work_orders_store_idx" ON "work_orders" USING btree ("store_id","created_at");--> statement-breakpoint
CREATE INDEX "work_orders_vehicle_idx" ON "work_orders" USING btree ("vehicle_id","created_at");--> statement-breakpoint
CREATE INDEX "work_orders_owner_idx" ON "work_orders" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "work_orders_booking_idx" ON "work_orders" USING btree ("booking_id");