CREATE TABLE "invitation_project_grants" (
	"invitation_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"role" "project_role" NOT NULL,
	CONSTRAINT "invitation_project_grants_invitation_id_project_id_pk" PRIMARY KEY("invitation_id","project_id")
);
--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "org_role" "org_role" DEFAULT 'member' NOT NULL;--> statement-breakpoint
ALTER TABLE "invitation_project_grants" ADD CONSTRAINT "invitation_project_grants_invitation_id_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."invitations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation_project_grants" ADD CONSTRAINT "invitation_grants_project_fk" FOREIGN KEY ("project_id","org_id") REFERENCES "public"."projects"("id","org_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invitation_grants_project_idx" ON "invitation_project_grants" USING btree ("project_id","invitation_id");--> statement-breakpoint
-- hand-written: backfill. Every existing invitation was a project invitation: an organization invitation (role member) with one grant.
INSERT INTO "invitation_project_grants" ("invitation_id", "org_id", "project_id", "role") SELECT "id", "org_id", "project_id", "role" FROM "invitations" ON CONFLICT DO NOTHING;
