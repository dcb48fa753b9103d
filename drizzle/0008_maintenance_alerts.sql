CREATE TABLE "maintenance_alerts" (
	"id" text PRIMARY KEY NOT NULL,
	"vehicle_id" text NOT NULL,
	"owner_id" text NOT NULL,
	"city" text,
	"component" text NOT NULL,
	"severity" text NOT NULL,
	"status" text NOT NULL,
	"finding" jsonb NOT NULL,
	"confidence" real NOT NULL,
	"due_day" text,
	"opened_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"notified_at" timestamp with time zone,
	"reminded_at" timestamp with time zone,
	"reminders" integer DEFAULT 0 NOT NULL,
	"snoozed_until" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"closed_reason" text,
	"proposal_id" text,
	"booking_id" text,
	"work_order_id" text
);
--> statement-breakpoint
CREATE TABLE "maintenance_daily_features" (
	"vehicle_id" text NOT NULL,
	"day" text NOT NULL,
	"features" jsonb NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "maintenance_daily_features_vehicle_id_day_pk" PRIMARY KEY("vehicle_id","day")
);
--> statement-breakpoint
CREATE TABLE "maintenance_proposals" (
	"id" text PRIMARY KEY NOT NULL,
	"alert_id" text NOT NULL,
	"vehicle_id" text NOT NULL,
	"owner_id" text NOT NULL,
	"store_id" text NOT NULL,
	"org_path" text NOT NULL,
	"booking_id" text NOT NULL,
	"items" text[] NOT NULL,
	"start_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"total_fen" integer NOT NULL,
	"reasons" jsonb NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "maintenance_services" (
	"id" text PRIMARY KEY NOT NULL,
	"vehicle_id" text NOT NULL,
	"component" text NOT NULL,
	"day" text NOT NULL,
	"odometer_km" integer,
	"work_order_id" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "maintenance_alerts_active_uq" ON "maintenance_alerts" USING btree ("vehicle_id","component") WHERE status in ('open', 'notified', 'proposed', 'booked', 'snoozed');--> statement-breakpoint
CREATE INDEX "maintenance_alerts_status_idx" ON "maintenance_alerts" USING btree ("status","updated_at");--> statement-breakpoint
CREATE INDEX "maintenance_alerts_owner_idx" ON "maintenance_alerts" USING btree ("owner_id","opened_at");--> statement-breakpoint
CREATE INDEX "maintenance_proposals_store_idx" ON "maintenance_proposals" USING btree ("store_id","start_at");--> statement-breakpoint
CREATE INDEX "maintenance_services_vehicle_idx" ON "maintenance_services" USING btree ("vehicle_id","component","day");