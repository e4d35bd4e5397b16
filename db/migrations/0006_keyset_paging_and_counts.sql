CREATE TABLE "org_role_counts" (
	"org_id" uuid NOT NULL,
	"role" "org_role" NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "org_role_counts_org_id_role_pk" PRIMARY KEY("org_id","role")
);
--> statement-breakpoint
CREATE TABLE "project_role_counts" (
	"project_id" uuid NOT NULL,
	"role" "project_role" NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "project_role_counts_project_id_role_pk" PRIMARY KEY("project_id","role")
);
--> statement-breakpoint
DROP INDEX "activity_project_idx";--> statement-breakpoint
DROP INDEX "activity_org_idx";--> statement-breakpoint
DROP INDEX "invitations_org_status_idx";--> statement-breakpoint
ALTER TABLE "organization_memberships" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "org_role_counts" ADD CONSTRAINT "org_role_counts_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_role_counts" ADD CONSTRAINT "project_role_counts_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "org_memberships_listing_idx" ON "organization_memberships" USING btree ("org_id","role","email");--> statement-breakpoint
CREATE INDEX "activity_project_idx" ON "activity" USING btree ("project_id","created_at","id");--> statement-breakpoint
CREATE INDEX "activity_org_idx" ON "activity" USING btree ("org_id","created_at","id");--> statement-breakpoint
CREATE INDEX "invitations_org_status_idx" ON "invitations" USING btree ("org_id","status","created_at","id");--> statement-breakpoint
UPDATE "organization_memberships" AS om SET "email" = u."email" FROM "users" AS u WHERE u."id" = om."user_id";--> statement-breakpoint
CREATE FUNCTION "org_membership_email"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT "email" INTO NEW."email" FROM "users" WHERE "id" = NEW."user_id";
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "organization_memberships_email" BEFORE INSERT OR UPDATE OF "user_id", "email" ON "organization_memberships"
  FOR EACH ROW EXECUTE FUNCTION "org_membership_email"();--> statement-breakpoint
CREATE OR REPLACE FUNCTION "user_email_to_memberships"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "organization_memberships" SET "email" = NEW."email" WHERE "user_id" = NEW."id";
  UPDATE "project_memberships" SET "email" = NEW."email" WHERE "user_id" = NEW."id";
  RETURN NULL;
END
$$;--> statement-breakpoint
INSERT INTO "project_role_counts" ("project_id", "role", "n")
  SELECT "project_id", "role", count(*)::int FROM "project_memberships" GROUP BY "project_id", "role";--> statement-breakpoint
INSERT INTO "org_role_counts" ("org_id", "role", "n")
  SELECT "org_id", "role", count(*)::int FROM "organization_memberships" GROUP BY "org_id", "role";--> statement-breakpoint
CREATE FUNCTION "project_role_counts_track"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN
    UPDATE "project_role_counts" SET "n" = "n" - 1 WHERE "project_id" = OLD."project_id" AND "role" = OLD."role";
  END IF;
  IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
    INSERT INTO "project_role_counts" ("project_id", "role", "n") VALUES (NEW."project_id", NEW."role", 1)
      ON CONFLICT ("project_id", "role") DO UPDATE SET "n" = "project_role_counts"."n" + 1;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "project_memberships_count" AFTER INSERT OR DELETE OR UPDATE OF "project_id", "role" ON "project_memberships"
  FOR EACH ROW EXECUTE FUNCTION "project_role_counts_track"();--> statement-breakpoint
CREATE FUNCTION "org_role_counts_track"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN
    UPDATE "org_role_counts" SET "n" = "n" - 1 WHERE "org_id" = OLD."org_id" AND "role" = OLD."role";
  END IF;
  IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
    INSERT INTO "org_role_counts" ("org_id", "role", "n") VALUES (NEW."org_id", NEW."role", 1)
      ON CONFLICT ("org_id", "role") DO UPDATE SET "n" = "org_role_counts"."n" + 1;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "organization_memberships_count" AFTER INSERT OR DELETE OR UPDATE OF "org_id", "role" ON "organization_memberships"
  FOR EACH ROW EXECUTE FUNCTION "org_role_counts_track"();
