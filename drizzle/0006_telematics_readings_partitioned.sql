-- Custom SQL migration file, put your code below! --
-- telematics_readings becomes a table partitioned by day on "ts" (same columns, keys and index as
-- the plain table 0005 created, which is empty here). The same statements run on PGlite and
-- PostgreSQL. Daily partitions are created ahead by the telematics maintenance job
-- (src/modules/telematics/partitions.ts); late or historical rows without their day's partition
-- land in the default partition.
DROP TABLE "telematics_readings";--> statement-breakpoint
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
) PARTITION BY RANGE ("ts");--> statement-breakpoint
CREATE TABLE "telematics_readings_default" PARTITION OF "telematics_readings" DEFAULT;--> statement-breakpoint
CREATE INDEX "telematics_readings_vehicle_ts_idx" ON "telematics_readings" USING btree ("vehicle_id","ts");
