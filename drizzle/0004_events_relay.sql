ALTER TABLE "events" ADD COLUMN "relayed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "events_unrelayed_idx" ON "events" USING btree ("id") WHERE relayed_at is null;