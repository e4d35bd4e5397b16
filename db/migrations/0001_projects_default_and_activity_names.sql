ALTER TABLE "activity" DROP CONSTRAINT "activity_project_id_projects_id_fk";
--> statement-breakpoint
ALTER TABLE "activity" ADD COLUMN "project_name" text;--> statement-breakpoint
ALTER TABLE "activity" ADD COLUMN "detail" text;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "is_default" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "activity" ADD CONSTRAINT "activity_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "projects_one_default_per_org_uq" ON "projects" USING btree ("org_id") WHERE "projects"."is_default";--> statement-breakpoint
-- hand-written: backfill. Each existing organization's oldest project named "Default Project" becomes its Default Project, and activity rows keep the names of their projects.
UPDATE "projects" p SET "is_default" = true WHERE p."id" = (SELECT q."id" FROM "projects" q WHERE q."org_id" = p."org_id" AND q."name" = 'Default Project' ORDER BY q."created_at", q."id" LIMIT 1);--> statement-breakpoint
-- hand-written: backfill (continued).
UPDATE "activity" a SET "project_name" = p."name" FROM "projects" p WHERE p."id" = a."project_id";
