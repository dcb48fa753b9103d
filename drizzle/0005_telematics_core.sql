CREATE TABLE "telematics_bindings" (
	"id" text PRIMARY KEY NOT NULL,
	"device_id" text NOT NULL,
	"vehicle_id" text NOT NULL,
	"owner_id" text NOT NULL,
	"bound_at" timestamp with time zone NOT NULL,
	"unbound_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "telematics_consents" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_id" text NOT NULL,
	"vehicle_id" text NOT NULL,
	"purpose" text NOT NULL,
	"granted" boolean NOT NULL,
	"version" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "telematics_devices" (
	"id" text PRIMARY KEY NOT NULL,
	"serial" text NOT NULL,
	"imei" text,
	"model" text,
	"org_path" text NOT NULL,
	"credential_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone,
	"disabled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "telematics_health" (
	"vehicle_id" text PRIMARY KEY NOT NULL,
	"device_id" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"odometer_km" double precision,
	"battery_12v_v" double precision,
	"traction_soc_pct" double precision,
	"traction_pack_v" double precision,
	"traction_pack_temp_c" double precision,
	"charging" boolean,
	"mil" boolean,
	"tyres_kpa" jsonb,
	"active_dtcs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"latest" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"version" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "telematics_readings" (
	"device_id" text NOT NULL,
	"message_id" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"vehicle_id" text,
	"kind" text NOT NULL,
	"data" jsonb NOT NULL,
	"h3_cell" text,
	"lat" double precision,
	"lon" double precision,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "telematics_readings_device_id_message_id_ts_pk" PRIMARY KEY("device_id","message_id","ts")
);
--> statement-breakpoint
CREATE TABLE "telematics_trips" (
	"id" text PRIMARY KEY NOT NULL,
	"vehicle_id" text NOT NULL,
	"device_id" text NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"distance_m" double precision DEFAULT 0 NOT NULL,
	"duration_s" double precision DEFAULT 0 NOT NULL,
	"max_speed_kmh" double precision DEFAULT 0 NOT NULL,
	"last_speed_kmh" double precision,
	"harsh_accel_count" integer,
	"harsh_brake_count" integer,
	"night_s" double precision,
	"speeding_s" double precision
);
--> statement-breakpoint
CREATE UNIQUE INDEX "telematics_bindings_device_active_uq" ON "telematics_bindings" USING btree ("device_id") WHERE unbound_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "telematics_bindings_vehicle_active_uq" ON "telematics_bindings" USING btree ("vehicle_id") WHERE unbound_at is null;--> statement-breakpoint
CREATE INDEX "telematics_bindings_owner_idx" ON "telematics_bindings" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "telematics_consents_vehicle_idx" ON "telematics_consents" USING btree ("vehicle_id","purpose","at");--> statement-breakpoint
CREATE UNIQUE INDEX "telematics_devices_serial_uq" ON "telematics_devices" USING btree ("serial");--> statement-breakpoint
CREATE UNIQUE INDEX "telematics_devices_imei_uq" ON "telematics_devices" USING btree ("imei");--> statement-breakpoint
CREATE INDEX "telematics_devices_org_idx" ON "telematics_devices" USING btree ("org_path");--> statement-breakpoint
CREATE INDEX "telematics_readings_vehicle_ts_idx" ON "telematics_readings" USING btree ("vehicle_id","ts");--> statement-breakpoint
CREATE INDEX "telematics_trips_vehicle_idx" ON "telematics_trips" USING btree ("vehicle_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "telematics_trips_open_uq" ON "telematics_trips" USING btree ("vehicle_id") WHERE status = 'open';