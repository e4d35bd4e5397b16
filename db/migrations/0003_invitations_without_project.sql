ALTER TABLE "invitations" DROP CONSTRAINT "invitations_project_fk";
--> statement-breakpoint
DROP INDEX "invitations_project_status_idx";--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invitations_org_status_idx" ON "invitations" USING btree ("org_id","status","created_at");--> statement-breakpoint
ALTER TABLE "invitations" DROP COLUMN "project_id";--> statement-breakpoint
ALTER TABLE "invitations" DROP COLUMN "role";