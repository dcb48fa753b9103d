CREATE TABLE "technician_training" (
	"id" text PRIMARY KEY NOT NULL,
	"technician_id" text NOT NULL,
	"course" text NOT NULL,
	"provider" text,
	"completed_on" date NOT NULL,
	"hours" integer DEFAULT 0 NOT NULL,
	"certificate_code" text
);
--> statement-breakpoint
CREATE INDEX "technician_training_idx" ON "technician_training" USING btree ("technician_id","completed_on");