CREATE TABLE "rep_suggestions" (
	"id" text PRIMARY KEY NOT NULL,
	"org_path" text NOT NULL,
	"location_id" text NOT NULL,
	"part_id" text NOT NULL,
	"kind" text NOT NULL,
	"from_location_id" text,
	"qty_milli" integer NOT NULL,
	"position_milli" integer NOT NULL,
	"reorder_point_milli" integer NOT NULL,
	"order_up_to_milli" integer NOT NULL,
	"fill_rate" real NOT NULL,
	"forecast" jsonb NOT NULL,
	"status" text NOT NULL,
	"document_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" text
);
--> statement-breakpoint
CREATE INDEX "rep_suggestions_status_idx" ON "rep_suggestions" USING btree ("org_path","status");--> statement-breakpoint
CREATE INDEX "rep_suggestions_location_idx" ON "rep_suggestions" USING btree ("location_id","part_id");